import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { StreamLimits } from '../../../../src/jobs/stream-limits.ts';
import { type Built, build, launchJob, read, waitFor } from '../../../helper.ts';

test('StreamLimits: per user first, then in all; a release frees the slot once', () => {
  const limits = new StreamLimits({ max: 3, perUser: 2 });
  const a1 = limits.acquire('alice');
  const a2 = limits.acquire('alice');
  assert.equal(typeof a1, 'function');
  assert.equal(typeof a2, 'function');
  const a3 = limits.acquire('alice');
  assert.ok(typeof a3 !== 'function');
  assert.equal(a3.statusCode, 429);
  assert.equal(a3.details?.limit, 'FLOWKUBE_MAX_LOG_STREAMS_PER_USER');
  assert.equal(typeof limits.acquire('bob'), 'function');
  const c = limits.acquire('carol');
  assert.ok(typeof c !== 'function');
  assert.equal(c.details?.limit, 'FLOWKUBE_MAX_LOG_STREAMS');
  (a1 as () => void)();
  (a1 as () => void)();
  assert.equal(limits.open, 2);
  assert.equal(typeof limits.acquire('carol'), 'function');
});

let t: Built;
let port: number;
let jobId: string;
before(async () => {
  t = await build({ env: { FLOWKUBE_MAX_LOG_STREAMS: '3', FLOWKUBE_MAX_LOG_STREAMS_PER_USER: '2' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
  const res = await launchJob(t.app, 'basic', { sleepSeconds: 60, message: 'streaming' });
  jobId = res.json().job.id;
  await waitFor('the job to run', () => t.app.jobs.get(jobId)?.job.phase === 'Running');
});
after(async () => {
  await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${jobId}`,
    headers: { authorization: `Bearer ${t.config.launchToken}` },
  });
  await t.close();
});

/** Opens a followed log stream over real HTTP and resolves once its status is known (the body stays open). */
function follow(user?: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...read, ...(user === undefined ? {} : { 'x-grafana-user': user }) };
    get({ host: '127.0.0.1', port, path: `/api/v1/jobs/${jobId}/logs?follow=true`, headers, agent: false }, resolve).on(
      'error',
      reject
    );
  });
}

async function body(
  res: IncomingMessage
): Promise<{ error: { code: string; message: string; details?: { limit?: string } } }> {
  let text = '';
  for await (const chunk of res) {
    text += String(chunk);
  }
  return JSON.parse(text);
}

test('followed log streams are capped per user (X-Grafana-User, else anonymous) and in all: 429 beyond', async () => {
  const open: IncomingMessage[] = [];
  try {
    for (const user of ['alice', 'alice']) {
      const res = await follow(user);
      assert.equal(res.statusCode, 200);
      open.push(res);
    }
    const third = await follow('alice');
    assert.equal(third.statusCode, 429);
    assert.equal(third.headers['retry-after'], '5');
    const refusal = await body(third);
    assert.equal(refusal.error.code, 'limit_exceeded');
    assert.equal(refusal.error.details?.limit, 'FLOWKUBE_MAX_LOG_STREAMS_PER_USER');
    assert.match(refusal.error.message, /^user "alice" already follow 2 log streams/);

    const anonymous = await follow();
    assert.equal(anonymous.statusCode, 200);
    open.push(anonymous);
    const full = await follow('bob');
    assert.equal(full.statusCode, 429);
    assert.equal((await body(full)).error.details?.limit, 'FLOWKUBE_MAX_LOG_STREAMS');

    // a plain (not followed) read is not counted
    const once = await t.app.inject({ url: `/api/v1/jobs/${jobId}/logs`, headers: read });
    assert.equal(once.statusCode, 200);

    // a closed stream gives its slot back
    open.shift()!.destroy();
    await waitFor('the slot to free', async () => {
      const res = await follow('bob');
      if (res.statusCode === 200) {
        open.push(res);
        return true;
      }
      res.resume();
      return false;
    });
  } finally {
    for (const res of open) {
      res.destroy();
    }
  }
});
