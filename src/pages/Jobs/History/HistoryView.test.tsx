import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { dateTime } from '@grafana/data';
import { sceneGraph } from '@grafana/scenes';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../../components/testIds';
import { jobEvents, rejectedEvent } from '../../../testing/auditEvents';
import { liveProxy } from '../../../testing/fakeProxy';
import { job } from '../../../testing/fixtures';
import { auditLines, installLoki, type LokiAnswer, lokiLogFrame } from '../../../testing/lokiFrames';
import { signInAs } from '../../../testing/signInAs';
import { historyExpr, HISTORY_MAX_LINES } from '../../../services/historyQueries';
import { historyScene } from './historyScene';

const failure = { reason: 'Error', message: 'Task 3 failed', exitCode: 1, lastLogLines: [] };
const failed = jobEvents();
const running = jobEvents({
  id: 'basic-zzzzz',
  template: 'basic',
  params: { message: 'hi' },
  launchedBy: 'erin',
  createdAt: '2026-11-26T22:10:00Z',
});
const events = [
  failed.launched,
  failed.started(),
  failed.finished({ phase: 'Failed', exitCode: 1, durationSeconds: 7, failure }),
  running.launched,
  running.started('2026-11-26T22:10:02Z'),
  rejectedEvent(),
];
// both proxy replicas wrote every job transition
const twoReplicas = (): LokiAnswer => ({ frames: [lokiLogFrame(auditLines([...events, ...events.slice(0, 5)]))] });

function renderHistory(
  path = '/a/flowkube-jobs-app/jobs/history',
  scene = historyScene({ lokiDatasourceUid: 'flowkube-loki' })
) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <scene.Component model={scene} />
    </MemoryRouter>
  );
  return scene;
}

const rowKeys = () =>
  screen
    .queryAllByTestId(/^data-testid history-row-/)
    .map((el) => el.getAttribute('data-testid')!.replace('data-testid history-row-', ''));

const rowOf = (key: string) => screen.getByTestId(testIds.history.row(key)).closest('tr')!;

beforeEach(() => {
  signInAs('Viewer');
  // the proxy still has the running job, and reports it Succeeded meanwhile
  liveProxy([
    job({
      id: 'basic-zzzzz',
      template: 'basic',
      phase: 'Succeeded',
      launchedBy: 'erin',
      createdAt: '2026-11-26T22:10:00Z',
      durationSeconds: 4,
    }),
  ]);
});

describe('History', () => {
  it('lists every job of the last 24 h once, in its last recorded (or live) state, and refused launches', async () => {
    const { requests } = installLoki('flowkube-loki', twoReplicas);
    renderHistory();
    await waitFor(() => expect(rowKeys()).toHaveLength(3));
    expect(rowKeys()).toEqual(['basic-zzzzz', 'log-gen-abcde', rejectedEvent().eventId]);

    const failedRow = within(rowOf('log-gen-abcde'));
    expect(failedRow.getByText('Failed')).toBeInTheDocument();
    expect(failedRow.getByText('carol')).toBeInTheDocument();
    expect(failedRow.getByText('7s')).toBeInTheDocument();
    expect(failedRow.getByText('tasks=3, fail=true')).toBeInTheDocument();
    expect(failedRow.getByText('Error (exit 1): Task 3 failed')).toBeInTheDocument();

    // live state wins over the recorded Running
    expect(await within(rowOf('basic-zzzzz')).findByText('Succeeded')).toBeInTheDocument();

    const refused = within(rowOf(rejectedEvent().eventId));
    expect(refused.getByText('Rejected')).toBeInTheDocument();
    expect(refused.getByText('invalid: params.seconds must be <= 3600')).toBeInTheDocument();
    expect(refused.queryByRole('link')).not.toBeInTheDocument();

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.targets[0]).toMatchObject({ expr: historyExpr(), maxLines: HISTORY_MAX_LINES });
    expect(request.range.to.valueOf() - request.range.from.valueOf()).toBe(24 * 3600 * 1000);
  });

  it('links each job to its page and to its logs in Explore', async () => {
    installLoki('flowkube-loki', twoReplicas);
    renderHistory();
    const logs = await screen.findByTestId(testIds.history.logs('log-gen-abcde'));
    const panes = JSON.parse(new URLSearchParams(logs.getAttribute('href')!.split('?')[1]).get('panes')!);
    const [pane] = Object.values(panes) as Array<{
      datasource: string;
      queries: Array<{ expr: string }>;
      range: object;
    }>;
    expect(pane.datasource).toBe('flowkube-loki');
    expect(pane.queries[0].expr).toBe(
      '{namespace="flowkube-jobs", job_type="log-gen"} | pod="log-gen-abcde" | json | level=~".+"'
    );
    expect(pane.range).toEqual({
      from: String(Date.parse('2026-11-26T21:59:00Z')),
      to: String(Date.parse('2026-11-26T22:01:09Z')),
    });
    expect(within(rowOf('log-gen-abcde')).getByRole('link', { name: 'log-gen-abcde' })).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/jobs/log-gen-abcde'
    );
  });

  it('filters by template, user and outcome from the URL, and by the outcome buttons', async () => {
    installLoki('flowkube-loki', twoReplicas);
    renderHistory('/a/flowkube-jobs-app/jobs/history?user=carol');
    await waitFor(() => expect(rowKeys()).toEqual(['log-gen-abcde']));
    fireEvent.click(within(screen.getByTestId(testIds.history.filterOutcome)).getByLabelText('Succeeded'));
    expect(await screen.findByTestId(testIds.history.empty)).toHaveTextContent('No job matches these filters');
  });

  it('filters refused launches by outcome and by template', async () => {
    installLoki('flowkube-loki', twoReplicas);
    renderHistory('/a/flowkube-jobs-app/jobs/history?outcome=Rejected&template=cpu-load');
    await waitFor(() => expect(rowKeys()).toEqual([rejectedEvent().eventId]));
  });

  it('queries again for the range the person picks', async () => {
    const { requests } = installLoki('flowkube-loki', twoReplicas);
    const scene = renderHistory();
    await waitFor(() => expect(rowKeys()).toHaveLength(3));
    const from = dateTime('2026-11-20T00:00:00Z');
    const to = dateTime('2026-11-27T00:00:00Z');
    installLoki('flowkube-loki', (request) => (requests.push(request), { frames: [lokiLogFrame([])] }));
    act(() => sceneGraph.getTimeRange(scene).onTimeRangeChange({ from, to, raw: { from, to } }));
    expect(await screen.findByTestId(testIds.history.empty)).toHaveTextContent('No jobs in this time range');
    expect(requests).toHaveLength(2);
    expect(requests[1].range.from.valueOf()).toBe(from.valueOf());
  });

  it('warns when Loki returned as many lines as a query may, so older jobs are missing', async () => {
    const many = Array.from({ length: HISTORY_MAX_LINES }, (_, i) => jobEvents({ id: `basic-${i}` }).launched);
    installLoki('flowkube-loki', () => ({ frames: [lokiLogFrame(auditLines(many))] }));
    renderHistory();
    expect(await screen.findByTestId(testIds.history.truncated, {}, { timeout: 20000 })).toHaveTextContent(
      'Pick a shorter time range'
    );
  });

  it('says what Loki answered when the query fails', async () => {
    installLoki('flowkube-loki', () => ({ status: 500, error: 'too many outstanding requests' }));
    renderHistory();
    expect(await screen.findByText('too many outstanding requests')).toBeInTheDocument();
    expect(screen.getByText('Loki did not answer the history query')).toBeInTheDocument();
  });

  it('says history needs a Loki data source, and links to the configuration page', async () => {
    renderHistory(undefined, historyScene({}));
    expect(await screen.findByText('History needs a Loki data source')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open the configuration page/ })).toHaveAttribute(
      'href',
      '/plugins/flowkube-jobs-app'
    );
  });
});
