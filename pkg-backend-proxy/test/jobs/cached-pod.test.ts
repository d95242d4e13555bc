import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { jobFromPod } from '../../src/catalog/job-from-pod.ts';
import { CachedPod, cachedPod } from '../../src/jobs/cached-pod.ts';

const pod: V1Pod = {
  metadata: {
    name: 'log-gen-bcdfg',
    namespace: 'flowkube-jobs',
    uid: 'u-1',
    resourceVersion: '42',
    creationTimestamp: new Date('2026-11-26T10:00:00Z'),
    labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'log-gen', job_type: 'log-gen' },
    annotations: {
      'flowkube.io/launched-by': 'alice',
      'flowkube.io/params': '{"tasks":3}',
      'flowkube.io/request-hash': 'h1',
    },
    managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { big: 'x'.repeat(2000) } }],
  },
  spec: { containers: [{ name: 'worker', image: 'flowkube/worker:0.1.0' }] },
  status: {
    phase: 'Failed',
    containerStatuses: [
      {
        name: 'worker',
        image: 'flowkube/worker:0.1.0',
        imageID: 'sha256:abc',
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date('2026-11-26T10:00:32Z') } },
      },
    ],
  },
};

test('a cached Pod gives back its job, its request hash and the keys the informer diffs by', () => {
  const cached = cachedPod(pod);
  assert.deepEqual(cached.metadata, { name: 'log-gen-bcdfg', namespace: 'flowkube-jobs', resourceVersion: '42' });
  assert.deepEqual(cached.job, jobFromPod(pod));
  assert.equal(cached.requestHash, 'h1');
  assert.equal(cached.launchId, undefined);
  // a fresh job each time: a caller changing it cannot change the cache
  cached.job.params.tasks = 99;
  assert.deepEqual(cached.job.params, { tasks: 3 });
});

test('a resourceVersion comes back as the exact text, kept as a number only when it is a plain one', () => {
  for (const rv of ['42', '9007199254740', '007', '0', 'abc', '1e3', undefined]) {
    const cached = cachedPod({ ...pod, metadata: { ...pod.metadata, resourceVersion: rv } });
    assert.equal(cached.metadata.resourceVersion, rv);
  }
});

test('a Pod without the request-hash annotation has no requestHash', () => {
  const plain: V1Pod = { ...pod, metadata: { ...pod.metadata, annotations: {} } };
  assert.equal(cachedPod(plain).requestHash, undefined);
});

test('jobs share what they repeat, keep nothing of the Pod, and search lower-case text', () => {
  const twin: V1Pod = { ...pod, metadata: { ...pod.metadata, name: 'log-gen-zzzzz', resourceVersion: '43' } };
  const [a, b] = [cachedPod(pod), cachedPod(twin)];
  assert.equal(a.rest, b.rest);
  assert.equal(a.haystack, b.haystack);
  assert.equal(a.haystack, ['log-gen', 'alice', 'error', '3'].join('\0'));
  assert.ok(!JSON.stringify(Object.entries(a)).includes('managedFields'));
  assert.ok(!JSON.stringify(Object.entries(a)).includes('sha256'));
});

test('any record round-trips, including times that are not ISO times and fields it does not know', () => {
  const job = {
    ...jobFromPod(pod),
    createdAt: 'not a time',
    startedAt: '2026-11-26T10:00:00Z', // no milliseconds: kept as written
    finishedAt: '2026-11-26T10:00:32.000Z',
    durationSeconds: 32,
    future: { field: 1 },
  };
  const cached = CachedPod.of({ job, tombstone: true });
  assert.deepEqual(cached.job, job);
  assert.equal(cached.tombstone, true);
  assert.equal(cached.startedMs, Date.parse('2026-11-26T10:00:00Z'));
  assert.equal(CachedPod.of(cached), cached);
});

test('schedule, reason and active are read from what the record keeps, as the job says them', () => {
  const base = jobFromPod(pod);
  const cases = [
    { phase: 'Running', active: true },
    { phase: 'Pending', active: true },
    { phase: 'Running', cancelledAt: '2026-11-26T10:00:10.000Z', active: false },
    { phase: 'Pending', deletedAt: '2026-11-26T10:00:10.000Z', active: false },
    { phase: 'Failed', reason: 'OOMKilled', active: false },
    { phase: 'Succeeded', schedule: 'nightly', active: false },
  ] as const;
  for (const { active, ...fields } of cases) {
    const job = { ...base, reason: undefined, ...fields };
    const cached = CachedPod.of({ job });
    assert.equal(cached.active, active, JSON.stringify(fields));
    assert.equal(cached.schedule, job.schedule);
    assert.equal(cached.reason, job.reason);
    assert.deepEqual(cached.job, JSON.parse(JSON.stringify(job)));
  }
  // jobs without a schedule keep no schedule of their own: they share the same rest as before
  assert.equal(CachedPod.of({ job: base }).rest.schedule, undefined);
  assert.equal(CachedPod.of({ job: base }).schedule, null);
});

test('a cancelled Pod is kept when deleted while it has not run, even once its deadline failed it', () => {
  const cancelled = (status: V1Pod['status']): V1Pod => ({
    ...pod,
    metadata: {
      ...pod.metadata,
      annotations: {
        ...pod.metadata!.annotations,
        'flowkube.io/cancelled-by': 'bob',
        'flowkube.io/cancelled-at': '2026-11-26T10:00:05.000Z',
      },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'nightly-1', uid: 'j-1', controller: true }],
    },
    status,
  });
  const waiting = { name: 'worker', image: 'w', imageID: '', ready: false, restartCount: 0 };
  // still Pending: the cancel deletes it
  assert.equal(cachedPod(cancelled({ phase: 'Pending' })).keepWhenDeleted, true);
  // the 1 s deadline the cancel set was past at once: the kubelet failed it before the cancel's delete came
  const neverRan = cancelled({
    phase: 'Failed',
    reason: 'DeadlineExceeded',
    containerStatuses: [{ ...waiting, state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown' } } }],
  });
  assert.equal(cachedPod(neverRan).keepWhenDeleted, true);
  // it ran and the deadline stopped it: the Job's TTL removes it later, as any finished run
  const ran = cancelled({
    phase: 'Failed',
    reason: 'DeadlineExceeded',
    containerStatuses: [
      {
        ...waiting,
        state: {
          terminated: { exitCode: 143, reason: 'Error', startedAt: new Date('2026-11-26T10:00:01Z') },
        },
      },
    ],
  });
  assert.equal(cachedPod(ran).keepWhenDeleted, undefined);
});
