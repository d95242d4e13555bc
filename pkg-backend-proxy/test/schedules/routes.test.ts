import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { FakeKube } from '../../../tests/fake-kube/index.ts';
import type { Schedule } from '../../src/schemas/index.ts';
import { build, type Built, launch, read, waitFor } from '../helper.ts';

const NS = 'flowkube-jobs';

function post(app: FastifyInstance, body: object, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/v1/schedules', headers: { ...launch, ...headers }, payload: body });
}

const nightly = {
  template: 'basic',
  params: { message: 'nightly', sleepSeconds: 0 },
  schedule: '0 2 * * *',
  timeZone: 'Europe/Berlin',
};

describe('schedule routes', () => {
  let built: Built;
  let app: FastifyInstance;
  let fake: FakeKube;

  before(async () => {
    built = await build({ env: { FLOWKUBE_MAX_SCHEDULES: '5' } });
    ({ app, fake } = built);
  });
  after(() => built.close());

  const cleanUp = async () => {
    for (const c of fake.cronJobs(NS)) {
      await app.inject({ method: 'DELETE', url: `/api/v1/schedules/${c.metadata?.name}`, headers: launch });
    }
    await waitFor(
      'no schedules',
      async () => (await app.inject({ url: '/api/v1/schedules', headers: read })).json().items.length === 0
    );
  };

  it('creates a schedule as a CronJob and lists it from the cache, with no Kubernetes call', async () => {
    const res = await post(app, nightly, { 'x-grafana-user': 'alice' });
    assert.equal(res.statusCode, 201, res.body);
    const schedule = res.json().schedule as Schedule;
    assert.match(schedule.id, /^basic-[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    assert.equal(res.headers.location, `/api/v1/schedules/${schedule.id}`);
    assert.equal(schedule.createdBy, 'alice');
    assert.equal(schedule.concurrencyPolicy, 'Forbid');
    assert.equal(schedule.description, 'At 02:00 AM');
    assert.ok(schedule.nextRunAt);
    assert.deepEqual(schedule.params, { message: 'nightly', sleepSeconds: 0 });
    const [cj] = fake.cronJobs(NS);
    assert.equal(cj?.metadata?.name, schedule.id);
    assert.equal(cj?.spec?.startingDeadlineSeconds, 300);
    assert.equal(cj?.spec?.jobTemplate.spec?.ttlSecondsAfterFinished, built.config.retentionSeconds);

    await waitFor(
      'the watch to show it',
      async () => (await app.inject({ url: '/api/v1/schedules', headers: read })).json().items.length === 1
    );
    fake.resetRequests();
    const list = await app.inject({ url: '/api/v1/schedules', headers: read });
    const one = await app.inject({ url: `/api/v1/schedules/${schedule.id}`, headers: read });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().items[0].id, schedule.id);
    assert.equal(one.json().schedule.id, schedule.id);
    assert.equal(fake.requests.length, 0, 'answered from the cache');
    const missing = await app.inject({ url: '/api/v1/schedules/basic-nope', headers: read });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');
    const readOnly = await app.inject({ method: 'POST', url: '/api/v1/schedules', headers: read, payload: nightly });
    assert.equal(readOnly.statusCode, 403);
    await cleanUp();
  });

  it('an Idempotency-Key repeat answers 200 with the same schedule; the key with another request is a 409', async () => {
    const key = { 'idempotency-key': 'sched-key-0001' };
    const first = await post(app, nightly, key);
    const second = await post(app, nightly, key);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().schedule.id, first.json().schedule.id);
    assert.equal(fake.cronJobs(NS).length, 1);
    const other = await post(app, { ...nightly, schedule: '0 3 * * *' }, key);
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().error.details.fields[0].field, 'Idempotency-Key');
    const badKey = await post(app, nightly, { 'idempotency-key': 'x' });
    assert.equal(badKey.statusCode, 400);
    assert.equal(fake.cronJobs(NS).length, 1);
    await cleanUp();
  });

  it('refuses bad input with a 400 naming the field, and creates nothing', async () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ ...nightly, template: 'nope' }, 'template', /is not a known template/],
      [{ ...nightly, params: { sleepSeconds: 'x' } }, 'params.sleepSeconds', /./],
      [{ ...nightly, params: { bogus: 1 } }, 'params.bogus', /is not a parameter of template "basic"/],
      [{ ...nightly, schedule: '0 0 2 * * *' }, 'schedule', /expected exactly 5 fields, found 6/],
      [{ ...nightly, schedule: 'TZ=UTC 0 2 * * *' }, 'schedule', /cannot use TZ or CRON_TZ/],
      [{ ...nightly, schedule: '@every 1h' }, 'schedule', /@every/],
      [{ ...nightly, schedule: '0 0 30 2 *' }, 'schedule', /never fires/],
      [{ ...nightly, timeZone: 'Mars/Base' }, 'timeZone', /unknown time zone Mars\/Base/],
      [{ ...nightly, concurrencyPolicy: 'Never' }, 'concurrencyPolicy', /must be one of/],
      [{ ...nightly, extra: true }, 'extra', /is not an allowed field/],
      [{ template: 'basic' }, 'schedule', /is required/],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(app, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      const found = res.json().error.details.fields.find((f: { field: string }) => f.field === field);
      assert.ok(found, `${field} in ${res.body}`);
      assert.match(found.message, message);
    }
    assert.equal(fake.cronJobs(NS).length, 0);
  });

  it('PATCH changes the schedule, not its template; unknown and unmanaged CronJobs are 404', async () => {
    const { schedule } = (await post(app, nightly)).json() as { schedule: Schedule };
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/schedules/${schedule.id}`,
      headers: launch,
      payload: { schedule: '*/10 * * * *', suspend: true, params: { message: 'changed' } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const changed = res.json().schedule as Schedule;
    assert.equal(changed.schedule, '*/10 * * * *');
    assert.equal(changed.suspend, true);
    assert.equal(changed.nextRunAt, undefined);
    assert.deepEqual(changed.params, { message: 'changed', sleepSeconds: 5 });
    const cj = fake.cronJobs(NS).find((c) => c.metadata?.name === schedule.id);
    const env = cj?.spec?.jobTemplate.spec?.template.spec?.containers[0]?.env ?? [];
    assert.equal(env.find((e) => e.name === 'MESSAGE')?.value, 'changed', 'the Pod template follows the params');
    assert.equal(cj?.spec?.timeZone, 'Europe/Berlin', 'unchanged fields stay');

    const template = await app.inject({
      method: 'PATCH',
      url: `/api/v1/schedules/${schedule.id}`,
      headers: launch,
      payload: { template: 'cpu-load' },
    });
    assert.equal(template.statusCode, 400);
    assert.equal(template.json().error.details.fields[0].field, 'template');
    const bad = await app.inject({
      method: 'PATCH',
      url: `/api/v1/schedules/${schedule.id}`,
      headers: launch,
      payload: { schedule: '61 * * * *' },
    });
    assert.equal(bad.statusCode, 400);
    const unknown = await app.inject({
      method: 'PATCH',
      url: '/api/v1/schedules/basic-zzzzzzzzzz',
      headers: launch,
      payload: { suspend: true },
    });
    assert.equal(unknown.statusCode, 404);

    // a CronJob of the namespace FlowKube did not make
    const foreign = structuredClone(cj!);
    foreign.metadata = { name: 'someone-elses' };
    delete foreign.status;
    const kc = await fetch(`${fake.url}/apis/batch/v1/namespaces/${NS}/cronjobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(foreign),
    });
    assert.equal(kc.status, 201);
    const unmanaged = await app.inject({
      method: 'PATCH',
      url: '/api/v1/schedules/someone-elses',
      headers: launch,
      payload: { suspend: true },
    });
    assert.equal(unmanaged.statusCode, 404);
    assert.equal(fake.cronJobs(NS).find((c) => c.metadata?.name === 'someone-elses')?.spec?.suspend, cj?.spec?.suspend);
    await fetch(`${fake.url}/apis/batch/v1/namespaces/${NS}/cronjobs/someone-elses`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${fake.token}` },
    });
    await cleanUp();
  });

  it('FLOWKUBE_MAX_SCHEDULES caps how many exist: 429 naming the limit', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await post(app, nightly)).statusCode, 201);
    }
    await waitFor(
      'five cached',
      async () => (await app.inject({ url: '/api/v1/schedules', headers: read })).json().items.length === 5
    );
    const res = await post(app, nightly);
    assert.equal(res.statusCode, 429);
    assert.equal(res.json().error.details.limit, 'FLOWKUBE_MAX_SCHEDULES');
    assert.match(res.json().error.message, /FLOWKUBE_MAX_SCHEDULES=5/);
    assert.equal(fake.cronJobs(NS).length, 5);
    await cleanUp();
  });

  it('DELETE removes the CronJob; run-now makes a manual Job and answers with its Pod as the job', async () => {
    const { schedule } = (await post(app, nightly)).json() as { schedule: Schedule };
    await waitFor(
      'cached',
      async () => (await app.inject({ url: `/api/v1/schedules/${schedule.id}`, headers: read })).statusCode === 200
    );
    const run = await app.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.id}/run`, headers: launch });
    assert.equal(run.statusCode, 201, run.body);
    const job = run.json().job;
    assert.equal(job.schedule, schedule.id);
    assert.equal(job.launchedBy, `schedule:${schedule.id}`);
    const pod = fake.pods(NS).find((p) => p.metadata?.name === job.id);
    assert.ok(pod, 'the job id is the Pod name');
    const owner = fake.jobs(NS).find((j) => j.metadata?.name === pod.metadata?.ownerReferences?.[0]?.name);
    assert.equal(owner?.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    const listed = await app.inject({ url: `/api/v1/jobs/${job.id}`, headers: read });
    assert.equal(listed.json().job.schedule, schedule.id);

    const del = await app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: launch });
    assert.equal(del.statusCode, 200);
    assert.equal(fake.cronJobs(NS).length, 0);
    assert.ok(
      fake.jobs(NS).some((j) => j.metadata?.name === owner?.metadata?.name),
      'the run stays'
    );
    const again = await app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: launch });
    assert.equal(again.statusCode, 404);
    const runGone = await app.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.id}/run`, headers: launch });
    assert.equal(runGone.statusCode, 404);
  });
});
