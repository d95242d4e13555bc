import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { isManaged, jobFromPod } from '../../src/catalog/job-from-pod.ts';

const T0 = '2026-11-26T10:00:00Z';
const T1 = '2026-11-26T10:00:02Z';
const T2 = '2026-11-26T10:00:32.500Z';

function pod(status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod {
  return {
    metadata: {
      name: 'cpu-load-bcdfg',
      creationTimestamp: new Date(T0),
      labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'cpu-load', job_type: 'cpu-load' },
      annotations: { 'flowkube.io/launched-by': 'alice', 'flowkube.io/params': '{"durationSeconds":30}' },
      ...extra,
    },
    status,
  };
}

const terminated = (exitCode: number, reason: string) => ({
  name: 'worker',
  image: 'i',
  imageID: '',
  ready: false,
  restartCount: 0,
  // raw watch events carry strings where the typed client has Dates: both must work
  state: { terminated: { exitCode, reason, startedAt: T1 as unknown as Date, finishedAt: new Date(T2) } },
});

test('a Pod without status is a Pending job with its identity', () => {
  assert.deepEqual(jobFromPod(pod(undefined)), {
    id: 'cpu-load-bcdfg',
    template: 'cpu-load',
    params: { durationSeconds: 30 },
    phase: 'Pending',
    launchedBy: 'alice',
    createdAt: '2026-11-26T10:00:00.000Z',
    schedule: null,
    source: null,
  });
});

test('a launch from a launcher panel names its dashboard and panel; annotations the API would refuse are ignored', () => {
  const from = (annotations: Record<string, string>) =>
    jobFromPod(pod(undefined, { annotations: { 'flowkube.io/launched-by': 'alice', ...annotations } })).source;
  const panel = { 'flowkube.io/source-dashboard': 'runbook_1-A', 'flowkube.io/source-panel': '7' };
  assert.deepEqual(from({ ...panel, 'flowkube.io/source-title': 'On-call / Restart' }), {
    dashboardUid: 'runbook_1-A',
    panelId: 7,
    title: 'On-call / Restart',
  });
  assert.deepEqual(from(panel), { dashboardUid: 'runbook_1-A', panelId: 7 });
  const refused: Array<Record<string, string>> = [
    { 'flowkube.io/source-dashboard': 'runbook 1', 'flowkube.io/source-panel': '7' },
    { 'flowkube.io/source-dashboard': 'x'.repeat(41), 'flowkube.io/source-panel': '7' },
    { 'flowkube.io/source-dashboard': 'runbook', 'flowkube.io/source-panel': '7.5' },
    { 'flowkube.io/source-dashboard': 'runbook', 'flowkube.io/source-panel': '-1' },
    { 'flowkube.io/source-dashboard': 'runbook', 'flowkube.io/source-panel': '99999999999' },
    { 'flowkube.io/source-dashboard': 'runbook' },
    { 'flowkube.io/source-panel': '7' },
  ];
  for (const bad of refused) {
    assert.equal(from(bad), null, JSON.stringify(bad));
  }
});

test("a schedule's run names its schedule", () => {
  const p = pod(undefined);
  p.metadata!.labels = { ...p.metadata!.labels, 'flowkube.io/schedule': 'cpu-load-bcdfghjklm' };
  assert.equal(jobFromPod(p).schedule, 'cpu-load-bcdfghjklm');
});

test('Running carries startedAt and no finish', () => {
  const j = jobFromPod(
    pod({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'worker',
          image: 'i',
          imageID: '',
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: new Date(T1) } },
        },
      ],
    })
  );
  assert.equal(j.phase, 'Running');
  assert.equal(j.startedAt, '2026-11-26T10:00:02.000Z');
  assert.equal(j.finishedAt, undefined);
  assert.equal(j.reason, undefined);
});

test('Succeeded: exit code, times and duration; "Completed" is not shown as a reason', () => {
  const j = jobFromPod(pod({ phase: 'Succeeded', containerStatuses: [terminated(0, 'Completed')] }));
  assert.equal(j.exitCode, 0);
  assert.equal(j.finishedAt, '2026-11-26T10:00:32.500Z');
  assert.equal(j.durationSeconds, 30.5);
  assert.equal(j.reason, undefined);
});

test('Failed with OOMKilled / Error keeps the container reason', () => {
  assert.equal(
    jobFromPod(pod({ phase: 'Failed', containerStatuses: [terminated(137, 'OOMKilled')] })).reason,
    'OOMKilled'
  );
  const e = jobFromPod(pod({ phase: 'Failed', containerStatuses: [terminated(1, 'Error')] }));
  assert.deepEqual([e.reason, e.exitCode], ['Error', 1]);
});

test('Pod-level reasons (DeadlineExceeded, Evicted) win over the container reason', () => {
  const j = jobFromPod(
    pod({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
      containerStatuses: [terminated(143, 'Error')],
    })
  );
  assert.equal(j.reason, 'DeadlineExceeded');
  assert.match(j.message!, /deadline/);
  const evicted = jobFromPod(
    pod({
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory.',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: new Date(T2) }],
    })
  );
  assert.deepEqual([evicted.reason, evicted.finishedAt], ['Evicted', '2026-11-26T10:00:32.500Z']);
});

test('waiting reasons show what is stuck; routine ones do not', () => {
  const waiting = (reason: string) =>
    jobFromPod(
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'worker',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason, message: 'm' } },
          },
        ],
      })
    );
  assert.equal(waiting('ImagePullBackOff').reason, 'ImagePullBackOff');
  assert.equal(waiting('ErrImagePull').message, 'm');
  assert.equal(waiting('ContainerCreating').reason, undefined);
});

test('an unschedulable Pod says so', () => {
  const j = jobFromPod(
    pod({
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' },
      ],
    })
  );
  assert.deepEqual([j.reason, j.message], ['Unschedulable', '0/3 nodes are available']);
});

test('a deleting Pod has deletedAt; a running or SIGTERMed one is Cancelled', () => {
  const running = jobFromPod(pod({ phase: 'Running' }, { deletionTimestamp: new Date(T2) }));
  assert.deepEqual([running.deletedAt, running.reason], ['2026-11-26T10:00:32.500Z', 'Cancelled']);
  const killed = jobFromPod(
    pod({ phase: 'Failed', containerStatuses: [terminated(143, 'Error')] }, { deletionTimestamp: new Date(T2) })
  );
  assert.equal(killed.reason, 'Cancelled');
  const swept = jobFromPod(
    pod({ phase: 'Succeeded', containerStatuses: [terminated(0, 'Completed')] }, { deletionTimestamp: new Date(T2) })
  );
  assert.deepEqual([swept.deletedAt, swept.reason], ['2026-11-26T10:00:32.500Z', undefined]);
});

test('odd phases and broken annotations do not break the view', () => {
  const j = jobFromPod(
    pod({ phase: 'Weird' }, { annotations: { 'flowkube.io/params': '{not json' }, labels: { job_type: 'basic' } })
  );
  assert.deepEqual([j.phase, j.params, j.launchedBy, j.template], ['Unknown', {}, 'unknown', 'basic']);
  assert.deepEqual(
    jobFromPod(pod(undefined, { annotations: { 'flowkube.io/params': '{"a":{"b":1},"c":2}' } })).params,
    {
      c: 2,
    }
  );
});

test('isManaged looks only at the managed-by label', () => {
  assert.equal(isManaged(pod(undefined)), true);
  assert.equal(isManaged(pod(undefined, { labels: { 'flowkube.io/template': 'basic' } })), false);
  assert.equal(isManaged(undefined), false);
});

const CANCELLED = {
  'flowkube.io/launched-by': 'alice',
  'flowkube.io/cancelled-by': 'bob',
  'flowkube.io/cancelled-at': '2026-11-26T10:00:10Z',
};

test('a cancelled Pod still stopping stays Running with who and when; once Failed by the deadline it is Cancelled', () => {
  const stopping = jobFromPod(pod({ phase: 'Running' }, { annotations: CANCELLED }));
  assert.deepEqual(
    [stopping.phase, stopping.cancelledBy, stopping.cancelledAt],
    ['Running', 'bob', '2026-11-26T10:00:10.000Z']
  );
  const stopped = jobFromPod(
    pod(
      {
        phase: 'Failed',
        reason: 'DeadlineExceeded',
        message: 'Pod was active on the node longer than the specified deadline',
        containerStatuses: [terminated(137, 'Error')],
      },
      { annotations: CANCELLED }
    )
  );
  assert.deepEqual(
    [stopped.phase, stopped.reason, stopped.message, stopped.exitCode, stopped.finishedAt],
    ['Cancelled', 'Cancelled', 'Cancelled by bob', 137, '2026-11-26T10:00:32.500Z']
  );
});

test('a cancelled Pod deleted before it ran is Cancelled, ended at the cancel; one that succeeded anyway stays Succeeded', () => {
  const deleted = jobFromPod(
    pod({ phase: 'Pending' }, { annotations: CANCELLED, deletionTimestamp: new Date('2026-11-26T10:00:11Z') })
  );
  assert.deepEqual([deleted.phase, deleted.finishedAt], ['Cancelled', '2026-11-26T10:00:10.000Z']);
  const raced = jobFromPod(
    pod({ phase: 'Succeeded', containerStatuses: [terminated(0, 'Completed')] }, { annotations: CANCELLED })
  );
  assert.equal(raced.phase, 'Succeeded');
});

test('no Pod can claim the Cancelled phase itself', () => {
  assert.equal(jobFromPod(pod({ phase: 'Cancelled' })).phase, 'Unknown');
});

test('namespace, node, image and the worker container’s resources are shown; jobs of one template share them', () => {
  const placed = (name: string): V1Pod => ({
    ...pod({ phase: 'Running' }, { name, namespace: 'flowkube-jobs' }),
    spec: {
      nodeName: 'node-a',
      containers: [
        { name: 'sidecar', image: 'busybox' },
        {
          name: 'worker',
          image: 'ghcr.io/flowkube/worker:1.2.3',
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        },
      ],
    },
  });
  const a = jobFromPod(placed('cpu-load-aaaaa'));
  assert.equal(a.namespace, 'flowkube-jobs');
  assert.equal(a.node, 'node-a');
  assert.equal(a.image, 'ghcr.io/flowkube/worker:1.2.3');
  assert.deepEqual(a.resources, { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } });
  assert.equal(jobFromPod(placed('cpu-load-bbbbb')).resources, a.resources, 'one shared object, not one per job');
  const unscheduled = jobFromPod({ ...pod(undefined), spec: { containers: [{ name: 'worker', image: 'w' }] } });
  assert.equal(unscheduled.node, undefined);
  assert.equal(unscheduled.resources, undefined);
});
