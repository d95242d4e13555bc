import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Built, build, launchJob, read, waitFor } from '../../../helper.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

test("a failed worker's summary: its termination message in the list (0 calls), its ERROR lines on the detail", async () => {
  const res = await launchJob(t.app, 'log-gen', { tasks: 12, taskIntervalMs: 1, seed: 3, fail: true });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().job.id;
  await waitFor('the job to fail', () => t.app.jobs.get(id)?.job.phase === 'Failed');

  const calls = t.fake.requests.length;
  const listed = (await t.app.inject({ url: '/api/v1/jobs?phase=Failed', headers: read })).json().items;
  assert.equal(t.fake.requests.length, calls, 'the list makes no Kubernetes call');
  const inList = listed.find((j: { id: string }) => j.id === id);
  // the worker wrote its reason to /dev/termination-log; the kubelet reported it as terminated.message
  assert.deepEqual(inList.failure, {
    reason: 'Error',
    message: 'log generation failed as requested (FAIL=true)',
    exitCode: 1,
    lastLogLines: [],
  });

  const detail = (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job;
  assert.equal(detail.failure.message, 'log generation failed as requested (FAIL=true)');
  assert.ok(detail.failure.lastLogLines.length > 0 && detail.failure.lastLogLines.length <= 5);
  for (const line of detail.failure.lastLogLines) {
    assert.equal(JSON.parse(line).level, 'ERROR', line);
  }
  // the last ERROR line the worker logged is the fail() line itself
  assert.match(detail.failure.lastLogLines.at(-1), /log generation failed as requested/);
  const logReads = t.fake.requests.filter((r) => r.verb === 'log' && r.path.endsWith(`/pods/${id}/log`));
  assert.equal(logReads.length, 1);
  assert.equal(logReads[0]!.query.tailLines, '200');
});

test('the detail answers with the Pod-only summary when the log is slow to come', async () => {
  const res = await launchJob(t.app, 'log-gen', { tasks: 2, taskIntervalMs: 1, seed: 4, fail: true });
  const id = res.json().job.id;
  await waitFor('the job to fail', () => t.app.jobs.get(id)?.job.phase === 'Failed');
  t.fake.failNext('log', { delayMs: 5000 });
  const started = Date.now();
  const detail = await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read });
  assert.ok(Date.now() - started < 4000, `${Date.now() - started} ms`);
  assert.equal(detail.statusCode, 200);
  assert.deepEqual(detail.json().job.failure.lastLogLines, []);
  assert.equal(detail.json().job.failure.message, 'log generation failed as requested (FAIL=true)');
});
