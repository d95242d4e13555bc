import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { jobFromPod } from '../../src/catalog/job-from-pod.ts';
import { cachedPod } from '../../src/jobs/cached-pod.ts';

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

test('a cached Pod is its job, its request hash and the keys the informer diffs by; nothing else', () => {
  assert.deepEqual(cachedPod(pod), {
    metadata: { name: 'log-gen-bcdfg', namespace: 'flowkube-jobs', resourceVersion: '42' },
    job: jobFromPod(pod),
    requestHash: 'h1',
  });
});

test('a Pod without the request-hash annotation has no requestHash', () => {
  const plain: V1Pod = { ...pod, metadata: { ...pod.metadata, annotations: {} } };
  assert.equal('requestHash' in cachedPod(plain), false);
});
