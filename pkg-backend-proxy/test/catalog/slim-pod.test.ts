import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { jobFromPod } from '../../src/catalog/job-from-pod.ts';
import { slimPod } from '../../src/catalog/slim-pod.ts';

const T0 = '2026-11-26T10:00:00Z';
const T1 = '2026-11-26T10:00:02Z';
const T2 = '2026-11-26T10:00:32.500Z';

function pod(status: V1Pod['status'], meta: Partial<NonNullable<V1Pod['metadata']>> = {}): V1Pod {
  return {
    metadata: {
      name: 'log-gen-bcdfg',
      namespace: 'flowkube-jobs',
      uid: 'u-1',
      resourceVersion: '42',
      creationTimestamp: new Date(T0),
      labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'log-gen', job_type: 'log-gen' },
      annotations: {
        'flowkube.io/launched-by': 'alice',
        'flowkube.io/params': '{"tasks":3}',
        'flowkube.io/request-hash': 'h1',
        'flowkube.io/launch-id': 'l1',
        'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(2000),
      },
      managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { big: 'x'.repeat(2000) } }],
      ...meta,
    },
    spec: {
      containers: [{ name: 'worker', image: 'flowkube/worker:0.1.0', env: [{ name: 'TASKS', value: '3' }] }],
      restartPolicy: 'Never',
    },
    status,
  };
}

const container = (state: object, lastState?: object) =>
  ({
    name: 'worker',
    image: 'flowkube/worker:0.1.0',
    imageID: 'sha256:abc',
    containerID: 'containerd://abc',
    ready: false,
    restartCount: 0,
    state,
    ...(lastState ? { lastState } : {}),
  }) as never;

// every shape of Pod the job mapping distinguishes
const pods: Record<string, V1Pod> = {
  'no status': pod(undefined),
  pending: pod({ phase: 'Pending', qosClass: 'Guaranteed' }),
  'image pull': pod({
    phase: 'Pending',
    containerStatuses: [container({ waiting: { reason: 'ImagePullBackOff', message: 'back-off pulling' } })],
  }),
  unschedulable: pod({
    phase: 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' },
      { type: 'Initialized', status: 'True' },
    ],
  }),
  running: pod({
    phase: 'Running',
    podIP: '10.0.0.1',
    containerStatuses: [container({ running: { startedAt: new Date(T1) } })],
  }),
  failed: pod({
    phase: 'Failed',
    containerStatuses: [
      container({ terminated: { exitCode: 1, reason: 'Error', message: 'boom', startedAt: T1, finishedAt: T2 } }),
    ],
  }),
  'oom with last state': pod({
    phase: 'Failed',
    containerStatuses: [
      container(
        { waiting: { reason: 'CrashLoopBackOff' } },
        { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: new Date(T1), finishedAt: new Date(T2) } }
      ),
    ],
  }),
  evicted: pod({
    phase: 'Failed',
    reason: 'Evicted',
    message: 'low on memory',
    conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: new Date(T2) }],
  }),
  cancelled: pod(
    { phase: 'Running', containerStatuses: [container({ running: { startedAt: T1 } })] },
    { deletionTimestamp: new Date(T2) }
  ),
};

for (const [name, p] of Object.entries(pods)) {
  test(`slimPod keeps what the job mapping reads: ${name}`, () => {
    assert.deepEqual(jobFromPod(slimPod(p)), jobFromPod(p));
  });
}

test('slimPod keeps identity, versions, labels and the cache annotations; drops managedFields, spec and the rest', () => {
  const slim = slimPod(pods.running!);
  assert.equal(slim.metadata?.name, 'log-gen-bcdfg');
  assert.equal(slim.metadata?.namespace, 'flowkube-jobs');
  assert.equal(slim.metadata?.uid, 'u-1');
  assert.equal(slim.metadata?.resourceVersion, '42');
  assert.deepEqual(slim.metadata?.labels, pods.running!.metadata!.labels);
  assert.deepEqual(slim.metadata?.annotations, {
    'flowkube.io/launched-by': 'alice',
    'flowkube.io/params': '{"tasks":3}',
    'flowkube.io/request-hash': 'h1',
  });
  assert.equal(slim.metadata?.managedFields, undefined);
  assert.equal(slim.spec, undefined);
  assert.equal((slim.status as Record<string, unknown>).podIP, undefined);
  assert.equal((slim.status?.containerStatuses?.[0] as unknown as Record<string, unknown>).imageID, undefined);
  assert.ok(JSON.stringify(slim).length < JSON.stringify(pods.running).length / 5);
});

test('slimPod leaves the input untouched', () => {
  const before = JSON.stringify(pods.failed);
  slimPod(pods.failed!);
  assert.equal(JSON.stringify(pods.failed), before);
});
