import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import type { DataQueryRequest } from '@grafana/data';
import { type SceneObject, sceneGraph, SceneQueryRunner, SceneTimePicker, VizPanel } from '@grafana/scenes';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { FakeProxy, heldChanges, liveProxy } from '../../testing/fakeProxy';
import { jobEvents } from '../../testing/auditEvents';
import { job, logGenTemplate } from '../../testing/fixtures';
import { auditLines, installLoki, type LokiAnswer, lokiLogFrame } from '../../testing/lokiFrames';
import { jobHistoryExpr } from '../../services/historyQueries';
import { jobLogsExpr } from '../../services/jobQueries';
import type { LokiQuery } from '../../services/historySource';
import { signInAs } from '../../testing/signInAs';
import { jobDetailScene } from './jobDetailScene';

const detail = job({
  id: 'log-gen-abcde',
  template: 'log-gen',
  phase: 'Failed',
  reason: 'Error',
  message: 'Task 3 failed',
  exitCode: 1,
  launchedBy: 'carol',
  params: { tasks: 3, fail: true },
  createdAt: '2026-11-26T22:00:00Z',
  startedAt: '2026-11-26T22:00:02Z',
  finishedAt: '2026-11-26T22:00:09Z',
  durationSeconds: 7,
});

const proxyWith = (jobs = [detail]) => liveProxy(jobs);
const withLoki = () => jobDetailScene(detail.id, { lokiDatasourceUid: 'flowkube-loki' });

const failure = { reason: 'Error', message: 'Task 3 failed', exitCode: 1, lastLogLines: ['ERROR task 3 failed'] };
const e = jobEvents();
/** What the proxy wrote of `detail` to Loki, up to its purge. */
const recorded = [
  e.launched,
  e.started(),
  e.finished({ phase: 'Failed', exitCode: 1, durationSeconds: 7, failure }),
  e.purged('admin'),
];
/** Loki answering the history lookup with `events`, as two replicas wrote them, and anything else with nothing. */
const answerWith =
  (events = recorded) =>
  (request: DataQueryRequest<LokiQuery>): LokiAnswer =>
    request.targets[0].expr === jobHistoryExpr('log-gen-abcde')
      ? { frames: [lokiLogFrame(auditLines([...events, ...events]))] }
      : { frames: [] };
/**
 * The query of the Loki logs panel on screen, if one is: jest has no Grafana runRequest, so the panel's query runner
 * never reaches the data source, and its query is read from the scene instead.
 */
function shownLokiQuery(scene: SceneObject): string | undefined {
  const panel = sceneGraph.findObject(scene, (o) => o instanceof VizPanel && o.state.pluginId === 'logs');
  const runner = panel?.isActive ? panel.state.$data : undefined;
  return runner instanceof SceneQueryRunner ? runner.state.queries[0].expr : undefined;
}

function renderScene(id = detail.id, scene = jobDetailScene(id, {})) {
  return render(
    <MemoryRouter>
      <scene.Component model={scene} />
    </MemoryRouter>
  );
}

const fetchMock = jest.fn();
beforeEach(() => {
  signInAs('Editor');
  fetchMock.mockReset().mockReturnValue(new Promise(() => {}));
  global.fetch = fetchMock;
});

describe('Job detail', () => {
  it('links a scheduled run back to its schedule, and a hand launch to none', async () => {
    const run = { ...detail, id: 'log-gen-nightly-29433-abcde', schedule: 'log-gen-nightly' };
    proxyWith([run, detail]);
    const { unmount } = renderScene(run.id);
    expect(await screen.findByTestId(testIds.jobDetail.schedule)).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/schedules/log-gen-nightly'
    );
    unmount();
    renderScene();
    await screen.findByTestId(testIds.jobDetail.container);
    expect(screen.queryByTestId(testIds.jobDetail.schedule)).not.toBeInTheDocument();
  });

  it('takes focus on its job when nothing has it (after a launch), and leaves focus placed elsewhere', async () => {
    proxyWith();
    const { unmount } = renderScene();
    const facts = await screen.findByTestId(testIds.jobDetail.container);
    expect(document.activeElement).toBe(facts);
    expect(facts).toHaveAccessibleName(`Job ${detail.id}`);
    unmount();

    const elsewhere = document.createElement('input');
    document.body.appendChild(elsewhere);
    elsewhere.focus();
    renderScene();
    await screen.findByTestId(testIds.jobDetail.container);
    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();
  });

  it('shows phase, timeline, outcome, parameters and who launched it', async () => {
    proxyWith();
    renderScene();
    const timeline = await screen.findByTestId(testIds.jobDetail.timeline);
    expect(
      within(timeline)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual([
      expect.stringMatching(/^Created2026-11-26 22:00:00/),
      expect.stringMatching(/^Started2026-11-26 22:00:02/),
      expect.stringMatching(/^Failed \(Error\)2026-11-26 22:00:09/),
    ]);
    expect(screen.getByText('Error (exit 1)')).toBeInTheDocument();
    expect(screen.getByText('Task 3 failed')).toBeInTheDocument();
    const params = screen.getByTestId(testIds.jobDetail.params);
    expect(within(params).getByText('tasks').nextSibling).toHaveTextContent('3');
    expect(within(params).getByText('fail').nextSibling).toHaveTextContent('true');
    expect(screen.getByText('carol')).toBeInTheDocument();
  });

  it('shows where it runs with copy buttons, links the logs dashboard, and titles parameters from the template', async () => {
    proxyWith([
      {
        ...detail,
        params: { tasks: 3, fail: true, level: 'WARN' },
        namespace: 'flowkube-jobs',
        node: 'node-a',
        image: 'ghcr.io/flowkube/worker:1.2.3',
        resources: { requests: { cpu: '50m' }, limits: { cpu: '200m', memory: '64Mi' } },
      },
    ]).on('GET', 'api/v1/templates', { status: 200, data: { items: [logGenTemplate] } });
    renderScene();
    const placement = await screen.findByTestId(testIds.jobDetail.placement);
    expect(within(placement).getByText('node-a')).toBeInTheDocument();
    expect(within(placement).getByText('flowkube-jobs')).toBeInTheDocument();
    expect(within(placement).getByText('ghcr.io/flowkube/worker:1.2.3')).toBeInTheDocument();
    expect(within(placement).getByText('cpu 50m–200m, memory at most 64Mi')).toBeInTheDocument();
    expect(within(placement).getByRole('button', { name: 'Copy job id' })).toBeInTheDocument();
    expect(within(placement).getByRole('button', { name: 'Copy Pod name' })).toBeInTheDocument();
    const link = screen.getByTestId(testIds.jobDetail.logsDashboard);
    expect(link.getAttribute('href')).toMatch(/\/d\/flowkube-logs\?.*var-job=log-gen-abcde/);

    const params = screen.getByTestId(testIds.jobDetail.params);
    expect(await within(params).findByText('Tasks')).toBeInTheDocument();
    expect(within(params).getByText('Fail at the end').nextSibling).toHaveTextContent(/^true$/);
    // a string value as typed, not as a JSON literal
    expect(within(params).getByText('Level').nextSibling).toHaveTextContent(/^WARN$/);
  });

  it('follows the proxy log stream when no Loki data source is configured, and says Prometheus is missing', async () => {
    proxyWith();
    renderScene();
    expect(await screen.findByTestId(testIds.jobDetail.logStream)).toBeInTheDocument();
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(fetchMock.mock.calls[0][0]).toContain('/api/v1/jobs/log-gen-abcde/logs?follow=true');
    expect(screen.getByText('No Prometheus data source configured')).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.jobDetail.explore)).not.toBeInTheDocument();
  });

  it('shows the time picker only where the range drives something: Loki logs or Prometheus metrics', () => {
    const hasPicker = (settings: Parameters<typeof jobDetailScene>[1]) =>
      (jobDetailScene(detail.id, settings).state.controls ?? []).some((c) => c instanceof SceneTimePicker);
    expect(hasPicker({})).toBe(false);
    expect(hasPicker({ lokiDatasourceUid: 'loki' })).toBe(true);
    expect(hasPicker({ prometheusDatasourceUid: 'prom' })).toBe(true);
  });

  describe('with a Loki data source', () => {
    const runningJob = { ...detail, phase: 'Running' as const, finishedAt: undefined, durationSeconds: undefined };
    const levelPicker = () => screen.queryByText('Level', { exact: true });

    it('follows the proxy’s stream while the proxy has the job, with Explore beside it, and queries no Loki', async () => {
      proxyWith([runningJob]);
      const { requests } = installLoki('flowkube-loki', () => ({ frames: [] }));
      const scene = withLoki();
      renderScene(detail.id, scene);
      const stream = await screen.findByTestId(testIds.jobDetail.logStream);
      expect(within(stream).getByTestId(testIds.jobDetail.logFollow)).toHaveTextContent('Pause');
      expect(within(stream).getByTestId(testIds.jobDetail.logSearch)).toBeInTheDocument();
      await waitFor(() => expect(fetchMock).toHaveBeenCalled());
      expect(fetchMock.mock.calls[0][0]).toContain('/api/v1/jobs/log-gen-abcde/logs?follow=true');

      const link = await screen.findByTestId(testIds.jobDetail.explore);
      const panes = JSON.parse(new URLSearchParams(link.getAttribute('href')!.split('?')[1]).get('panes')!);
      const [pane] = Object.values(panes) as Array<{ datasource: string; queries: Array<{ expr: string }> }>;
      expect(pane.datasource).toBe('flowkube-loki');
      expect(pane.queries[0].expr).toBe(
        '{namespace="flowkube-jobs", job_type="log-gen"} | pod="log-gen-abcde" | json | level=~".+"'
      );
      // the viewer filters by level itself; the page's LogQL level picker would filter nothing on screen
      expect(levelPicker()).not.toBeInTheDocument();
      expect(shownLokiQuery(scene)).toBeUndefined();
      expect(requests).toEqual([]);
    });

    it('puts the Loki panel in the stream’s place when the loop reports the job gone', async () => {
      const proxy = new FakeProxy()
        .on('GET', `api/v1/jobs/${detail.id}`, { status: 200, data: { job: runningJob } })
        .install();
      const { answerChanges } = heldChanges(proxy);
      installLoki('flowkube-loki', answerWith());
      const scene = withLoki();
      renderScene(detail.id, scene);
      await screen.findByTestId(testIds.jobDetail.logStream);
      expect(shownLokiQuery(scene)).toBeUndefined();

      await answerChanges([], [detail.id]);
      await waitFor(() => expect(shownLokiQuery(scene)).toBe(jobLogsExpr('log-gen', detail.id)));
      expect(screen.queryByTestId(testIds.jobDetail.logStream)).not.toBeInTheDocument();
      expect(screen.getByTestId(testIds.jobDetail.explore)).toBeInTheDocument();
      expect(levelPicker()).toBeInTheDocument();
      expect(await screen.findByTestId(testIds.history.recorded)).toHaveTextContent('purged by admin');
    });
  });

  it('narrows the time range to the job’s lifetime once the job is known', async () => {
    proxyWith();
    const scene = jobDetailScene(detail.id, {});
    renderScene(detail.id, scene);
    const timeRange = sceneGraph.getTimeRange(scene);
    await waitFor(() => expect(timeRange.state.from).toBe('2026-11-26T21:59:00.000Z'));
    expect(timeRange.state.to).toBe('2026-11-26T22:01:09.000Z');
    expect(timeRange.state.value.from.valueOf()).toBe(Date.parse('2026-11-26T21:59:00Z'));
  });

  it('closes the framed range when the running job finishes, but leaves a range the person chose', async () => {
    const runningJob = { ...detail, phase: 'Running' as const, finishedAt: undefined, durationSeconds: undefined };
    const proxy = new FakeProxy()
      .on('GET', `api/v1/jobs/${detail.id}`, { status: 200, data: { job: runningJob } })
      .install();
    const { polls, answerChanges } = heldChanges(proxy);
    const scene = jobDetailScene(detail.id, {});
    renderScene(detail.id, scene);
    const timeRange = sceneGraph.getTimeRange(scene);
    await waitFor(() => expect(timeRange.state.from).toBe('2026-11-26T21:59:00.000Z'));
    expect(timeRange.state.to).toBe('now');

    await answerChanges([detail]);
    await waitFor(() => expect(timeRange.state.to).toBe('2026-11-26T22:01:09.000Z'));

    act(() => timeRange.setState({ from: 'now-6h', to: 'now' }));
    // the loop asked again after the first answer
    await waitFor(() => expect(polls).toHaveLength(2));
    await answerChanges([{ ...detail, finishedAt: '2026-11-26T22:03:00Z' }]);
    expect(timeRange.state.from).toBe('now-6h');
  });

  it('offers no Cancel on a finished job, only Re-run', async () => {
    proxyWith();
    renderScene();
    expect(await screen.findByTestId(testIds.jobDetail.rerun)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.jobDetail.cancel)).not.toBeInTheDocument();
  });

  it('disables cancel and re-run for a Viewer', async () => {
    signInAs('Viewer');
    proxyWith([{ ...detail, phase: 'Running', finishedAt: undefined }]);
    renderScene();
    expect(await screen.findByTestId(testIds.jobDetail.cancel)).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(testIds.jobDetail.rerun)).toHaveAttribute('aria-disabled', 'true');
  });

  it('says so when the job no longer exists', async () => {
    proxyWith([]).on('GET', 'api/v1/jobs/gone-zzzzz', {
      status: 404,
      data: { error: { code: 'not_found', message: 'no such job' } },
    });
    renderScene('gone-zzzzz');
    expect(await screen.findByText('Job gone-zzzzz no longer exists')).toBeInTheDocument();
  });

  describe('of a job whose Pod is gone', () => {
    const gone = () =>
      proxyWith([]).on('GET', 'api/v1/jobs/log-gen-abcde', {
        status: 404,
        data: { error: { code: 'not_found', message: 'no such job' } },
      });

    it('is built from its audit events in Loki: timeline, outcome, failure, parameters and logs', async () => {
      gone();
      const { requests } = installLoki('flowkube-loki', answerWith());
      const scene = withLoki();
      renderScene(detail.id, scene);
      expect(await screen.findByTestId(testIds.history.recorded)).toHaveTextContent('purged by admin');
      const timeline = screen.getByTestId(testIds.history.timeline);
      expect(
        within(timeline)
          .getAllByRole('listitem')
          .map((li) => li.textContent)
      ).toEqual([
        'Launched by carol2026-11-26 22:00:00',
        'Started2026-11-26 22:00:02',
        'Failed: Error (exit 1)2026-11-26 22:00:09',
        'Record purged by admin2026-11-26 23:00:00',
      ]);
      expect(screen.getByTestId(testIds.jobDetail.failure)).toHaveTextContent('Task 3 failed');
      expect(screen.getByText('Failed')).toBeInTheDocument();
      expect(screen.getByText('7s')).toBeInTheDocument();
      const params = screen.getByTestId(testIds.jobDetail.params);
      expect(within(params).getByText('tasks').nextSibling).toHaveTextContent('3');
      // the history does not record where the Pod ran, and a gone job cannot be cancelled
      expect(screen.queryByTestId(testIds.jobDetail.placement)).not.toBeInTheDocument();
      expect(screen.queryByTestId(testIds.jobDetail.cancel)).not.toBeInTheDocument();
      expect(screen.getByTestId(testIds.jobDetail.rerun)).toBeInTheDocument();

      // its logs come from Loki, over its lifetime; the proxy, which never had it, streams nothing
      const link = await screen.findByTestId(testIds.jobDetail.explore);
      expect(shownLokiQuery(scene)).toBe(jobLogsExpr('log-gen', detail.id));
      expect(screen.queryByTestId(testIds.jobDetail.logStream)).not.toBeInTheDocument();
      expect(fetchMock).not.toHaveBeenCalled();
      const panes = JSON.parse(new URLSearchParams(link.getAttribute('href')!.split('?')[1]).get('panes')!);
      const [pane] = Object.values(panes) as Array<{ queries: Array<{ expr: string }> }>;
      expect(pane.queries[0].expr).toContain('job_type="log-gen"} | pod="log-gen-abcde"');
      const timeRange = sceneGraph.getTimeRange(scene);
      expect(timeRange.state.from).toBe('2026-11-26T21:59:00.000Z');
      expect(timeRange.state.to).toBe('2026-11-26T22:01:09.000Z');

      const lookups = requests.filter((r) => r.targets[0].expr === jobHistoryExpr('log-gen-abcde'));
      expect(lookups).toHaveLength(1);
      const days = (lookups[0].range.to.valueOf() - lookups[0].range.from.valueOf()) / 86_400_000;
      expect(days).toBe(30);
    });

    it('says it is gone when Loki has no event of it', async () => {
      gone();
      installLoki('flowkube-loki', answerWith([]));
      renderScene(detail.id, withLoki());
      expect(await screen.findByText('Job log-gen-abcde no longer exists')).toBeInTheDocument();
      expect(screen.getByText(/Loki holds no audit events of it from the last 30 days/)).toBeInTheDocument();
      expect(screen.queryByText('Loading logs…')).not.toBeInTheDocument();
    });

    it('says what Loki answered when the history cannot be read', async () => {
      gone();
      installLoki('flowkube-loki', () => ({ status: 502, error: 'bad gateway' }));
      renderScene(detail.id, withLoki());
      expect(await screen.findByText(/its history could not be read/)).toBeInTheDocument();
      expect(screen.getByText(/bad gateway/)).toBeInTheDocument();
    });

    it('without Loki, says it is gone and that its history needs a Loki data source', async () => {
      gone();
      renderScene();
      expect(await screen.findByText('Job log-gen-abcde no longer exists')).toBeInTheDocument();
      expect(screen.getByText(/FlowKube keeps the history of jobs in Loki/)).toBeInTheDocument();
      expect(screen.getByText('No Loki data source configured')).toBeInTheDocument();
    });
  });
});
