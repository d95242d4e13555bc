import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Built, build, flowkubePods, launch, launchJob, read, waitFor } from '../../../helper.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

test('no token is 401, a wrong token 403 token_rejected; the read token cannot launch or cancel (403)', async () => {
  const none = await t.app.inject({ url: '/api/v1/jobs' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().error.code, 'unauthorized');
  assert.equal(none.headers['www-authenticate'], 'Bearer');
  const wrong = await t.app.inject({ url: '/api/v1/jobs', headers: { authorization: 'Bearer nope-nope-nope-nope' } });
  assert.deepEqual([wrong.statusCode, wrong.json().error.code], [403, 'token_rejected']);
  const basic = await t.app.inject({ url: '/api/v1/jobs', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  assert.deepEqual([basic.statusCode, basic.json().error.code], [403, 'token_rejected']);
  const post = await t.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: read,
    payload: { template: 'basic' },
  });
  assert.deepEqual([post.statusCode, post.json().error.code], [403, 'forbidden']);
  const del = await t.app.inject({ method: 'DELETE', url: '/api/v1/jobs/basic-xxxxx', headers: read });
  assert.equal(del.statusCode, 403);
  const listWithLaunch = await t.app.inject({ url: '/api/v1/jobs', headers: launch });
  assert.equal(listWithLaunch.statusCode, 200);
  assert.equal(flowkubePods(t.fake).length, 0);
});

test('templates list the catalog without image or command', async () => {
  const res = await t.app.inject({ url: '/api/v1/templates', headers: read });
  assert.equal(res.statusCode, 200);
  const items = res.json().items;
  assert.deepEqual(
    items.map((i: { id: string }) => i.id),
    ['basic', 'cpu-load', 'log-gen']
  );
  assert.equal(items[1].params.properties.durationSeconds.maximum, 3600);
  assert.equal(items[1].maxConcurrent, 2);
  assert.deepEqual(Object.keys(items[0]).sort(), [
    'description',
    'id',
    'maxConcurrent',
    'params',
    'resources',
    'timeoutSeconds',
    'title',
  ]);
  assert.doesNotMatch(res.body, /flowkube\/worker|app_basic/);
});

test('a launch creates one restricted Pod and answers 201 with the job; the user becomes launchedBy', async () => {
  const res = await launchJob(
    t.app,
    'basic',
    { message: 'hi there', sleepSeconds: 0 },
    { 'x-grafana-user': 'alice\n' }
  );
  assert.equal(res.statusCode, 201, res.body);
  const { job } = res.json();
  assert.match(job.id, /^basic-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(res.headers.location, `/api/v1/jobs/${job.id}`);
  assert.deepEqual([job.template, job.launchedBy], ['basic', 'alice']);
  assert.deepEqual(job.params, { message: 'hi there', sleepSeconds: 0 });
  const pods = flowkubePods(t.fake);
  assert.equal(pods.length, 1);
  const pod = pods[0]!;
  assert.equal(pod.metadata?.name, job.id);
  assert.equal(pod.metadata?.namespace, 'flowkube-jobs');
  assert.equal(pod.metadata?.annotations?.['flowkube.io/launched-by'], 'alice');
  assert.equal(pod.spec?.containers[0]?.securityContext?.readOnlyRootFilesystem, true);
  assert.equal(pod.spec?.automountServiceAccountToken, false);

  // the real worker runs: the cache sees it finish
  const done = await waitFor('the job to succeed', async () => {
    const r = await t.app.inject({ url: `/api/v1/jobs/${job.id}`, headers: read });
    return r.json().job.phase === 'Succeeded' ? r.json().job : undefined;
  });
  assert.equal(done.exitCode, 0);
  assert.ok(done.startedAt && done.finishedAt && done.durationSeconds >= 0);

  const logs = await t.app.inject({ url: `/api/v1/jobs/${job.id}/logs`, headers: read });
  assert.equal(logs.statusCode, 200);
  assert.match(String(logs.headers['content-type']), /^text\/plain/);
  const lines = logs.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(
    lines.some((l) => l.msg.includes('hi there') || l.message === 'hi there'),
    logs.body
  );
  assert.ok(lines.every((l) => l.job_type === 'basic' && l.pod === job.id));
  const tail = await t.app.inject({ url: `/api/v1/jobs/${job.id}/logs?tailLines=1`, headers: read });
  assert.equal(tail.body.trim().split('\n').length, 1);
  assert.equal(tail.body.trim(), logs.body.trim().split('\n').at(-1));
});

test('400 names the field: unknown field, wrong type, out of range, unknown template, unknown param', async () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ template: 'basic', colour: 'red' }, 'colour', /not an allowed field/],
    [{ template: 5 }, 'template', /must be string/],
    [{ template: 'cpu-load', params: { durationSeconds: '5' } }, 'params.durationSeconds', /must be a number/],
    [{ template: 'cpu-load', params: { durationSeconds: 3601 } }, 'params.durationSeconds', /must be at most 3600/],
    [{ template: 'nope' }, 'template', /is not a known template \(known: basic, cpu-load, log-gen\)/],
    [{ template: 'basic', params: { message: 'x'.repeat(257) } }, 'params.message', /must be at most 256 characters/],
    [{ template: 'basic', params: { shell: '$(id)' } }, 'params.shell', /is not a parameter of template "basic"/],
    [{ template: 'basic', params: { message: { nested: 1 } } }, 'params.message', /must be/],
    [[], 'body', /must be a JSON object/],
    [{}, 'template', /is required/],
  ];
  for (const [payload, field, message] of cases) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: launch,
      payload: payload as object,
    });
    assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
    const body = res.json();
    assert.equal(body.error.code, 'bad_request');
    const f = body.error.details.fields.find((x: { field: string }) => x.field === field);
    assert.ok(f, `${JSON.stringify(payload)} should name ${field}: ${res.body}`);
    assert.match(f.message, message);
    assert.match(body.error.message, new RegExp(field.replace('.', '\\.')));
  }
  const bad = await t.app.inject({ url: '/api/v1/jobs?limit=0', headers: read });
  assert.deepEqual([bad.statusCode, bad.json().error.details.fields[0].field], [400, 'limit']);
  const badPhase = await t.app.inject({ url: '/api/v1/jobs?phase=Done', headers: read });
  assert.equal(badPhase.statusCode, 400);
  const extra = await t.app.inject({ url: '/api/v1/jobs?sort=asc', headers: read });
  assert.deepEqual([extra.statusCode, extra.json().error.details.fields[0].field], [400, 'sort']);
});

test('bodies over 64 KiB are 413, non-JSON bodies 415, broken JSON 400 — all in the error shape', async () => {
  const big = await t.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, 'content-type': 'application/json' },
    payload: JSON.stringify({ template: 'basic', params: { message: 'x'.repeat(70_000) } }),
  });
  assert.deepEqual([big.statusCode, big.json().error.code], [413, 'payload_too_large']);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: { ...launch, 'content-type': type },
      payload: 'template=basic',
    });
    assert.deepEqual([res.statusCode, res.json().error.code], [415, 'unsupported_media_type'], type);
  }
  const broken = await t.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, 'content-type': 'application/json' },
    payload: '{"template":',
  });
  assert.deepEqual([broken.statusCode, broken.json().error.code], [400, 'bad_request']);
  const proto = await t.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, 'content-type': 'application/json' },
    payload: '{"template":"basic","__proto__":{"x":1}}',
  });
  assert.equal(proto.statusCode, 400);
  assert.equal(flowkubePods(t.fake).length, 1);
});

test('unknown jobs and Pods FlowKube does not manage are 404, even if they exist', async () => {
  t.fake.seedPods(1, { namePrefix: 'foreign-', labels: { app: 'other' }, phase: 'Running' });
  for (const [method, url] of [
    ['GET', '/api/v1/jobs/foreign-0'],
    ['DELETE', '/api/v1/jobs/foreign-0'],
    ['GET', '/api/v1/jobs/foreign-0/logs'],
    ['GET', '/api/v1/jobs/basic-zzzzz'],
    ['DELETE', '/api/v1/jobs/basic-zzzzz'],
  ] as const) {
    const res = await t.app.inject({ method, url, headers: launch });
    assert.deepEqual([res.statusCode, res.json().error.code], [404, 'not_found'], `${method} ${url}`);
  }
  assert.ok(t.fake.pods().some((p) => p.metadata?.name === 'foreign-0' && !p.metadata.deletionTimestamp));
  const badId = await t.app.inject({ url: '/api/v1/jobs/..%2F..%2Fsecrets', headers: read });
  assert.equal(badId.statusCode, 400);
});

test('list is newest first, filtered, limited, and served from the cache (no list calls to Kubernetes)', async () => {
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 5; i++) {
    t.fake.seedPods(1, {
      namePrefix: 'cpu-load-seed',
      createdAt: new Date(base + i * 60_000),
      phase: i % 2 === 0 ? 'Succeeded' : 'Failed',
      labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'cpu-load', job_type: 'cpu-load' },
    });
  }
  await waitFor('seeded jobs in the cache', async () => {
    const r = await t.app.inject({ url: '/api/v1/jobs?template=cpu-load', headers: read });
    return r.json().items.length === 5;
  });
  const lists = t.fake.requestCount('list');
  const all = (await t.app.inject({ url: '/api/v1/jobs?template=cpu-load', headers: read })).json().items;
  assert.deepEqual(
    all.map((j: { id: string }) => j.id),
    ['cpu-load-seed4', 'cpu-load-seed3', 'cpu-load-seed2', 'cpu-load-seed1', 'cpu-load-seed0']
  );
  const failed = (await t.app.inject({ url: '/api/v1/jobs?template=cpu-load&phase=Failed', headers: read })).json()
    .items;
  assert.deepEqual(
    failed.map((j: { id: string }) => j.id),
    ['cpu-load-seed3', 'cpu-load-seed1']
  );
  const two = (await t.app.inject({ url: '/api/v1/jobs?limit=2', headers: read })).json().items;
  assert.equal(two.length, 2);
  const everything = (await t.app.inject({ url: '/api/v1/jobs', headers: read })).json().items;
  assert.ok(everything.every((j: { id: string }) => j.id !== 'foreign-0'));
  for (let i = 0; i < 20; i++) {
    await t.app.inject({ url: '/api/v1/jobs', headers: read });
  }
  assert.equal(t.fake.requestCount('list'), lists);
});

test('logs of a job that has not started are a 409 saying so', async () => {
  t.fake.seedPods(1, {
    namePrefix: 'basic-pending',
    phase: 'Pending',
    labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'basic', job_type: 'basic' },
  });
  await waitFor('the pending job', () => t.app.jobs.get('basic-pending0'));
  const res = await t.app.inject({ url: '/api/v1/jobs/basic-pending0/logs', headers: read });
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().error.code, 'conflict');
  assert.match(res.json().error.message, /has not started yet/);
});

test('follow=true streams a running worker until its container ends', async () => {
  const res = await launchJob(t.app, 'log-gen', { tasks: 4, taskIntervalMs: 300, seed: 1 });
  const id = res.json().job.id;
  await waitFor('the worker to run', () => t.app.jobs.get(id)?.job.phase === 'Running');
  const logs = await t.app.inject({ url: `/api/v1/jobs/${id}/logs?follow=true`, headers: read });
  assert.equal(logs.statusCode, 200);
  const lines = logs.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  // the answer only ended because the container did: every task is in it
  assert.ok(lines.filter((l) => l.task !== undefined || l.task_id !== undefined).length >= 4, logs.body);
  assert.ok(lines.every((l) => ['INFO', 'WARN', 'ERROR'].includes(l.level)));
  const job = await waitFor('the job to finish', () => {
    const j = t.app.jobs.get(id)?.job;
    return j && (j.phase === 'Succeeded' || j.phase === 'Failed') ? j : undefined;
  });
  assert.equal(job.phase, 'Succeeded');
});
