// Launches whose caller hangs up, and the overall deadline: nothing is created later, slots are freed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flowkubePods, launch, launchJob, waitFor } from '../../../helper.ts';
import { launchFixture } from './launch-fixture.ts';

const f = launchFixture();

const podDeletesSince = (index: number) =>
  f.fake.requests.slice(index).filter((r) => r.verb === 'delete' && r.resource === 'pods').length;

const podCreatesSince = (index: number) =>
  f.fake.requests.slice(index).filter((r) => r.verb === 'create' && r.resource === 'pods' && !r.query.dryRun).length;

/**
 * POSTs a launch over real HTTP and drops the connection `afterCreateMs` after the proxy's create reached the API
 * server. A delay counted from the POST raced the proxy on a loaded machine: the caller left before any create was
 * sent, so there was no late Pod to delete.
 */
async function launchAndHangUp(url: string, afterCreateMs = 0): Promise<void> {
  const seen = f.fake.requests.length;
  const gone = new AbortController();
  const sent = fetch(`${url}/api/v1/jobs`, {
    method: 'POST',
    headers: { ...launch, 'content-type': 'application/json' },
    body: JSON.stringify({ template: 'basic', params: { sleepSeconds: 30 } }),
    signal: gone.signal,
  });
  const rejected = assert.rejects(sent, { name: 'AbortError' });
  await waitFor('the create to reach the API server', () => podCreatesSince(seen) > 0, 10_000);
  await new Promise((resolve) => setTimeout(resolve, afterCreateMs));
  gone.abort();
  await rejected;
}

test('a caller who hangs up while Kubernetes is slow: the late Pod is deleted and its slots are freed', async () => {
  const a = await f.app();
  const url = await a.listen({ port: 0, host: '127.0.0.1' });
  const seen = f.fake.requests.length;
  f.fake.failNext('create', { delayMs: 1500 });
  await launchAndHangUp(url);
  // the API server stores the Pod after 1.5 s; the proxy sees it and deletes it
  await waitFor('the proxy to delete the late Pod', () => podDeletesSince(seen) > 0, 10_000);
  await waitFor('the late Pod to be gone', () => flowkubePods(f.fake).length === 0, 10_000);
  await waitFor('its slots to be free', () => f.fake.leases().length === 0, 10_000);
  assert.equal((await launchJob(a, 'basic', { sleepSeconds: 0 })).statusCode, 201);
});

test('a caller who hangs up during a retry wait: no further create is sent, and the slots are freed', async () => {
  const t = await f.track({ deps: { createRetry: { attempts: 4, baseDelayMs: 1500, maxRetryAfterMs: 100 } } });
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const creates = () => f.fake.requests.filter((r) => r.verb === 'create' && r.resource === 'pods' && !r.query.dryRun);
  const before = creates().length;
  f.fake.failNext('create', { status: 500 });
  // the 500 is answered at once; 300 ms later the proxy is inside its first retry wait (at least 1.125 s)
  await launchAndHangUp(url, 300);
  await waitFor('its slots to be free', () => f.fake.leases().length === 0, 5000);
  // past the first retry's wait (1.5 s ± 25%)
  await new Promise((resolve) => setTimeout(resolve, 2200));
  assert.equal(creates().length - before, 1);
  assert.equal(flowkubePods(f.fake).length, 0);
});

test('a launch has an overall deadline: 503 in time, and the Pod that lands later is removed', async () => {
  const t = await f.track({ deps: { launchDeadlineMs: 500 } });
  f.fake.failNext('create', { delayMs: 1500 });
  const seen = f.fake.requests.length;
  const started = Date.now();
  const res = await launchJob(t.app, 'basic', { sleepSeconds: 30 });
  assert.ok(Date.now() - started < 1400, `answered after ${Date.now() - started} ms`);
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.json().error.code, 'kube_unavailable');
  assert.match(res.json().error.message, /within the launch deadline/);
  await waitFor(
    'the late Pod to be gone',
    () => flowkubePods(f.fake).length === 0 && f.fake.requestCount('delete') > 0,
    10_000
  );
  await waitFor('its slots to be free', () => f.fake.leases().length === 0, 10_000);
});

test('the deadline also bounds the wait for a slot: a hanging Lease list is a 503 in time, and no slot stays claimed', async () => {
  const t = await f.track({ deps: { launchDeadlineMs: 500 } });
  const seen = f.fake.requests.length;
  f.fake.failNext('list', { delayMs: 1500 }, 1, 'leases');
  const started = Date.now();
  const res = await launchJob(t.app, 'basic', { sleepSeconds: 30 });
  assert.ok(Date.now() - started < 1400, `answered after ${Date.now() - started} ms`);
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.json().error.code, 'kube_unavailable');
  // the slow list answers after 1.5 s; whatever the claim took then is given back, and no Pod is ever created
  await new Promise((resolve) => setTimeout(resolve, 1800));
  await waitFor('no slot claimed', () => f.fake.leases().length === 0, 5000);
  const creates = f.fake.requests.slice(seen).filter((r) => r.verb === 'create' && r.resource === 'pods');
  assert.deepEqual(creates, []);
  assert.equal(flowkubePods(f.fake).length, 0);
});
