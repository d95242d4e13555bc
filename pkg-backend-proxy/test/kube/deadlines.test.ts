import assert from 'node:assert/strict';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { describeKubeError } from '../../src/kube/errors.ts';
import { PooledKubeConfig } from '../../src/kube/pooled-config.ts';
import { build, launchJob, read, waitFor } from '../helper.ts';

test('an API server that accepts but never answers fails a call within its deadline, as "no answer"', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  const kc = new PooledKubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'c', server: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  kc.timeoutMs = 300;
  try {
    const started = Date.now();
    await assert.rejects(kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: 'p', namespace: 'n' }), {
      name: 'KubeTimeoutError',
      code: 'ETIMEDOUT',
      message: 'the Kubernetes API did not answer within 300 ms',
    });
    const took = Date.now() - started;
    const err = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPod({ name: 'p', namespace: 'n' })
      .catch((e: unknown) => e);
    assert.equal(describeKubeError(err).status, 0);
    assert.ok(took >= 250 && took < 2000, `took ${took} ms`);
  } finally {
    await kc.close(0);
    for (const s of sockets) {
      s.destroy();
    }
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('a followed log may stay quiet longer than the call deadline: only connect and headers are bounded', async () => {
  const t = await build({ env: { FLOWKUBE_KUBE_TIMEOUT_MS: '300' } });
  try {
    const job = (await launchJob(t.app, 'basic', { sleepSeconds: 2, message: 'then quiet' })).json().job;
    await waitFor('the job to run', () => t.app.jobs.get(job.id)?.job.phase === 'Running');
    const started = Date.now();
    const res = await t.app.inject({ url: `/api/v1/jobs/${job.id}/logs?follow=true`, headers: read });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /then quiet/);
    // the stream stayed open through the worker's silent sleep, well past 300 ms, until the container ended
    assert.ok(Date.now() - started >= 1000, `the stream ended after ${Date.now() - started} ms`);
    await waitFor('the job to finish', () => t.app.jobs.get(job.id)?.job.phase === 'Succeeded');
  } finally {
    await t.close();
  }
});
