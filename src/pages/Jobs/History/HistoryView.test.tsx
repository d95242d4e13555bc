import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { dateTime, dateTimeFormat } from '@grafana/data';
import { sceneGraph } from '@grafana/scenes';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../../components/testIds';
import { jobEvents, rejectedEvent } from '../../../testing/auditEvents';
import { liveProxy } from '../../../testing/fakeProxy';
import { job } from '../../../testing/fixtures';
import { auditLines, installLoki, type LokiAnswer, lokiLogFrame, lokiQueryRange } from '../../../testing/lokiFrames';
import { signInAs } from '../../../testing/signInAs';
import { HISTORY_MAX_PAGES } from '../../../services/historyPages';
import { historyExpr, HISTORY_MAX_LINES } from '../../../services/historyQueries';
import { historyScene } from './historyScene';

// The page bound, lowered from 20 so the test of the bound parses 15,000 lines, not 100,000; no other test here
// reads more than 2 pages.
jest.mock('../../../services/historyPages', () => ({
  ...jest.requireActual('../../../services/historyPages'),
  HISTORY_MAX_PAGES: 3,
}));

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

  describe('with more events than one Loki query returns', () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    /** `n` finished jobs, one launched every 10 s from `fromMs`, as the audit lines of their three events. */
    function finishedJobs(n: number, fromMs: number, launchedBy = (k: number) => (k % 50 === 0 ? 'olga' : 'pat')) {
      return Array.from({ length: n }, (_, k) => {
        const t = fromMs + k * 10_000;
        const e = jobEvents({
          id: `basic-${String(k).padStart(4, '0')}`,
          createdAt: iso(t),
          launchedBy: launchedBy(k),
        });
        return [
          e.launched,
          e.started(iso(t + 1000)),
          e.finished({ phase: 'Succeeded', exitCode: 0, durationSeconds: 1 }, iso(t + 2000)),
        ];
      }).flat();
    }
    const rowsOnceRead = async () => {
      await waitFor(() => expect(screen.queryByTestId(testIds.history.readingOlder)).not.toBeInTheDocument());
      return rowKeys();
    };

    it('reads older pages until the range is whole: every job once, built from events on either page', async () => {
      // 1,800 jobs, 5,400 events; olga launched basic-0000 first of all and it ended last (its end is on the newest
      // page, its launch on the oldest), and basic-0133 straddles the page boundary too
      const events = finishedJobs(1800, now - 20 * 3600_000, (k) => ([0, 133, 900, 1799].includes(k) ? 'olga' : 'pat'));
      const first = events.findIndex((e) => e.event === 'finished');
      events[first] = { ...events[first], time: iso(now - 60_000), finishedAt: iso(now - 60_000), phase: 'Failed' };
      const lines = auditLines(events);
      const { requests } = installLoki('flowkube-loki', lokiQueryRange(lines));
      renderHistory('/a/flowkube-jobs-app/jobs/history?user=olga');
      await waitFor(() => expect(requests).toHaveLength(2));
      expect(await rowsOnceRead()).toEqual(['basic-1799', 'basic-0900', 'basic-0133', 'basic-0000']);
      expect(within(rowOf('basic-0000')).getByText('Failed')).toBeInTheDocument();
      expect(within(rowOf('basic-0133')).getByText('Succeeded')).toBeInTheDocument();
      expect(within(rowOf('basic-0133')).getByText('1s')).toBeInTheDocument();
      // page 2 is [from, page 1's oldest line + 1 ms), and it was not full: nothing is missing, no warning
      const pageOneOldest = Number(BigInt(lines[HISTORY_MAX_LINES - 1].tsNs) / BigInt(1_000_000));
      expect(requests[1].range.from.valueOf()).toBe(requests[0].range.from.valueOf());
      expect(requests[1].range.to.valueOf()).toBe(pageOneOldest + 1);
      expect(requests).toHaveLength(2);
      expect(screen.queryByTestId(testIds.history.truncated)).not.toBeInTheDocument();
    });

    it('stops after its last page and says how far back the history reaches', async () => {
      // every page is full: 5,000 more jobs' events just before the end of each page asked for
      const { requests } = installLoki('flowkube-loki', (request) => {
        const events = finishedJobs(1667, request.range.to.valueOf() - 16_670_000, () => 'pat').slice(-5000);
        return lokiQueryRange(auditLines(events))(request);
      });
      renderHistory();
      const warning = await screen.findByTestId(testIds.history.truncated, {}, { timeout: 20_000 });
      expect(requests).toHaveLength(HISTORY_MAX_PAGES);
      const oldest = requests[HISTORY_MAX_PAGES - 1].range.to.valueOf() - 16_670_000 + 1000;
      expect(warning).toHaveTextContent(`it reaches back to ${dateTimeFormat(oldest)}`);
      expect(warning).toHaveTextContent('Pick a shorter time range');
      expect(screen.queryByTestId(testIds.history.readingOlder)).not.toBeInTheDocument();
    });

    it('shows the newest jobs while reading older ones, and drops the walk when the range changes', async () => {
      // two full pages and more: were the walk not dropped, the late page 2 would ask for a page 3
      const older = finishedJobs(3600, now - 20 * 3600_000);
      let answerPageTwo: (answer: LokiAnswer) => void = () => undefined;
      const { requests } = installLoki('flowkube-loki', (request) =>
        requests.length === 2
          ? new Promise<LokiAnswer>((resolve) => (answerPageTwo = resolve))
          : lokiQueryRange(auditLines(older))(request)
      );
      const scene = renderHistory('/a/flowkube-jobs-app/jobs/history?user=olga');
      expect(await screen.findByTestId(testIds.history.readingOlder)).toHaveTextContent('Reading older events…');
      expect(rowKeys()).toContain('basic-3550');
      expect(rowKeys()).not.toContain('basic-0000');

      // a week ago, one job
      const from = dateTime(now - 8 * 24 * 3600_000);
      const to = dateTime(now - 7 * 24 * 3600_000);
      const lastWeek = finishedJobs(1, from.valueOf() + 60_000);
      installLoki(
        'flowkube-loki',
        (request) => (requests.push(request), lokiQueryRange(auditLines(lastWeek))(request))
      );
      act(() => sceneGraph.getTimeRange(scene).onTimeRangeChange({ from, to, raw: { from, to } }));
      await waitFor(() => expect(rowKeys()).toEqual(['basic-0000']));
      // the old range's page 2 arrives late: it is dropped, and asks for no page 3
      await act(async () => {
        answerPageTwo(lokiQueryRange(auditLines(older))(requests[1]));
        // one macrotask: all the microtasks of the late answer have run
        await new Promise((resolve) => setTimeout(resolve, 0));
      });
      expect(rowKeys()).toEqual(['basic-0000']);
      expect(requests.map((r) => r.range.to.valueOf() === to.valueOf())).toEqual([false, false, true]);
      expect(screen.queryByTestId(testIds.history.readingOlder)).not.toBeInTheDocument();
    });

    it('keeps the pages it read when a later one fails, and says how far back they reach', async () => {
      const events = finishedJobs(1800, now - 20 * 3600_000);
      const lines = auditLines(events);
      const { requests } = installLoki('flowkube-loki', (request) =>
        requests.length === 1 ? lokiQueryRange(lines)(request) : { status: 500, error: 'too many outstanding requests' }
      );
      renderHistory('/a/flowkube-jobs-app/jobs/history?user=olga');
      expect(await screen.findByText(/too many outstanding requests/)).toBeInTheDocument();
      const pageOneOldest = Number(BigInt(lines[HISTORY_MAX_LINES - 1].tsNs) / BigInt(1_000_000));
      expect(screen.getByText(/too many outstanding requests/)).toHaveTextContent(
        `The events back to ${dateTimeFormat(pageOneOldest)} are shown; the older ones of this range were not read.`
      );
      expect(rowKeys()).toContain('basic-1750');
      expect(rowKeys()).not.toContain('basic-0000');
      expect(screen.queryByTestId(testIds.history.readingOlder)).not.toBeInTheDocument();
    });
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
