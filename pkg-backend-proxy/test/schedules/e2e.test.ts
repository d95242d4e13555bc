// Schedules end to end against the fake API: its CronJob controller fires them, its Job controller makes the Pods,
// the real python worker runs them, and its TTL controller cleans them up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startFakeKube, type FakeKube } from '../../../tests/fake-kube/index.ts';
import type { Job, Schedule } from '../../src/schemas/index.ts';
import { build, type Built, launch, launchJob, read, waitFor } from '../helper.ts';

const NS = 'flowkube-jobs';
const RETENTION = 600;

async function create(app: FastifyInstance, params: object, extra: object = {}, headers: Record<string, string> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/schedules',
    headers: { ...launch, ...headers },
    payload: { template: 'basic', params, schedule: '*/5 * * * *', timeZone: 'Europe/Berlin', ...extra },
  });
  assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
  return res.json().schedule as Schedule;
}

async function jobs(app: FastifyInstance): Promise<Job[]> {
  return (await app.inject({ url: '/api/v1/jobs', headers: read })).json().items;
}

/** A cancelled run stops: its Pod ends (the proxy keeps cancelled Pods until retention) or goes. */
function ended(fake: FakeKube, name: string): boolean {
  const pod = fake.pods(NS).find((p) => p.metadata?.name === name);
  return !pod || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}

async function cached(app: FastifyInstance, id: string) {
  await waitFor(
    `schedule ${id} cached`,
    async () => (await app.inject({ url: `/api/v1/schedules/${id}`, headers: read })).statusCode === 200
  );
}

describe('schedules end to end', () => {
  let fake: FakeKube;
  let built: Built;
  let app: FastifyInstance;

  before(async () => {
    fake = await startFakeKube({ startDelayMs: 20 });
    built = await build({ fake, env: { FLOWKUBE_RETENTION_SECONDS: String(RETENTION) } });
    app = built.app;
  });
  after(async () => {
    await built.close();
    await fake.stop();
  });

  it('fires, runs the real worker as a job with schedule set, and is cleaned by TTL, not by retention', async () => {
    const schedule = await create(app, { message: 'scheduled hello', sleepSeconds: 0 });
    await cached(app, schedule.id);
    const k8sJob = fake.fireNow(schedule.id);
    assert.ok(k8sJob, 'the CronJob fired');
    const run = await waitFor('the run in /api/v1/jobs, finished', async () =>
      (await jobs(app)).find((j) => j.schedule === schedule.id && j.phase === 'Succeeded')
    );
    assert.equal(run.launchedBy, `schedule:${schedule.id}`);
    assert.equal(run.template, 'basic');
    const log = await app.inject({ url: `/api/v1/jobs/${run.id}/logs`, headers: read });
    assert.match(log.body, /scheduled hello/, 'the real worker ran');
    const view = await waitFor('the schedule to show its last run', async () => {
      const s = (await app.inject({ url: `/api/v1/schedules/${schedule.id}`, headers: read })).json()
        .schedule as Schedule;
      return s.lastRun?.phase === 'Succeeded' && s.lastSuccessfulTime ? s : undefined;
    });
    assert.deepEqual(view.lastRun, { id: run.id, phase: 'Succeeded' });
    assert.deepEqual(view.active, []);

    // a hand launch finished at the same time is retention's; the schedule's run is not
    const hand = (await launchJob(app, 'basic', { sleepSeconds: 0 })).json().job as Job;
    await waitFor('the hand launch to finish', async () =>
      (await jobs(app)).find((j) => j.id === hand.id && j.phase === 'Succeeded')
    );
    const swept = await app.retention.sweep(new Date(Date.now() + (RETENTION + 60) * 1000));
    assert.deepEqual(swept, [hand.id]);
    assert.ok(
      fake.pods(NS).some((p) => p.metadata?.name === run.id),
      'retention left the Job-owned Pod'
    );

    fake.advanceClock((RETENTION + 1) * 1000);
    await waitFor('TTL to remove the Job and its Pod', async () => !(await jobs(app)).some((j) => j.id === run.id));
    assert.ok(!fake.jobs(NS).some((j) => j.metadata?.name === k8sJob.metadata?.name));
  });

  it('run now, suspend and resume, and Forbid with a long run', async () => {
    const schedule = await create(app, { message: 'long', sleepSeconds: 30 });
    await cached(app, schedule.id);
    const now = await app.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.id}/run`, headers: launch });
    assert.equal(now.statusCode, 201, now.body);
    const manual = now.json().job as Job;
    await waitFor('the manual run to be running', async () =>
      (await jobs(app)).find((j) => j.id === manual.id && j.phase === 'Running')
    );
    // Forbid: the manual run is one of the CronJob's runs, so the schedule waits for it
    assert.equal(fake.fireNow(schedule.id), undefined);
    const active = await waitFor('the schedule to list its active run', async () => {
      const s = (await app.inject({ url: `/api/v1/schedules/${schedule.id}`, headers: read })).json()
        .schedule as Schedule;
      return s.active.length > 0 ? s.active : undefined;
    });
    assert.deepEqual(active, [manual.id]);

    const suspend = await app.inject({
      method: 'PATCH',
      url: `/api/v1/schedules/${schedule.id}`,
      headers: launch,
      payload: { suspend: true },
    });
    assert.equal(suspend.statusCode, 200);
    await app.inject({ method: 'DELETE', url: `/api/v1/jobs/${manual.id}`, headers: launch });
    await waitFor('the manual run to end', () => ended(fake, manual.id));
    assert.equal(fake.fireNow(schedule.id), undefined, 'suspended: nothing fires');
    const resume = await app.inject({
      method: 'PATCH',
      url: `/api/v1/schedules/${schedule.id}`,
      headers: launch,
      payload: { suspend: false },
    });
    assert.equal(resume.json().schedule.suspend, false);
    assert.ok(resume.json().schedule.nextRunAt);
    // the time missed while suspended is within startingDeadlineSeconds, so the CronJob runs it on resume (as
    // Kubernetes does); or else the next time does
    fake.fireNow(schedule.id);
    const resumed = await waitFor('a run after resume', async () =>
      (await jobs(app)).find((j) => j.schedule === schedule.id && j.id !== manual.id && j.phase === 'Running')
    );
    await app.inject({ method: 'DELETE', url: `/api/v1/jobs/${resumed.id}`, headers: launch });
    await waitFor('the resumed run to end', () => ended(fake, resumed.id));
    await app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: launch });
  });

  it('PATCH and DELETE while a run is in progress leave the run alone', async () => {
    const schedule = await create(app, { message: 'before', sleepSeconds: 30 });
    await cached(app, schedule.id);
    assert.ok(fake.fireNow(schedule.id));
    const run = await waitFor('the run to be running', async () =>
      (await jobs(app)).find((j) => j.schedule === schedule.id && j.phase === 'Running')
    );
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/schedules/${schedule.id}`,
      headers: launch,
      payload: { params: { message: 'after', sleepSeconds: 1 }, schedule: '0 * * * *' },
    });
    assert.equal(patch.statusCode, 200);
    const pod = fake.pods(NS).find((p) => p.metadata?.name === run.id);
    assert.equal(
      pod?.spec?.containers[0]?.env?.find((e) => e.name === 'MESSAGE')?.value,
      'before',
      'the run keeps its params'
    );
    assert.equal((await jobs(app)).find((j) => j.id === run.id)?.phase, 'Running');

    const del = await app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: launch });
    assert.equal(del.statusCode, 200);
    assert.ok(!fake.cronJobs(NS).some((c) => c.metadata?.name === schedule.id), 'no further runs');
    const still = (await jobs(app)).find((j) => j.id === run.id);
    assert.equal(still?.phase, 'Running', 'the run goes on');
    assert.equal(still?.schedule, schedule.id, "and stays listed as the schedule's run");
    await app.inject({ method: 'DELETE', url: `/api/v1/jobs/${run.id}`, headers: launch });
    await waitFor('the run to be cancelled', () => ended(fake, run.id));
  });

  it('a run cancelled before it starts is Cancelled and its Job fails: the Job controller makes no new Pod', async () => {
    const schedule = await create(app, { message: 'never runs', sleepSeconds: 0 });
    await cached(app, schedule.id);
    const release = fake.holdPodStarts();
    try {
      const k8sJob = fake.fireNow(schedule.id);
      assert.ok(k8sJob, 'the CronJob fired');
      const run = await waitFor('the run to be listed Pending', async () =>
        (await jobs(app)).find((j) => j.schedule === schedule.id && j.phase === 'Pending')
      );
      // a run Pending for over a second, as on a node still pulling the image: the 1 s deadline the cancel sets
      // first is past at once, so the kubelet may fail the Pod before the cancel's delete comes (CI once lost that
      // race: the job vanished; test/jobs/cached-pod.test.ts pins the rule down without the race)
      const scheduledAt = Date.parse(String(fake.pods(NS).find((p) => p.metadata?.name === run.id)?.status?.startTime));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, scheduledAt + 1500 - Date.now())));
      const res = await app.inject({
        method: 'DELETE',
        url: `/api/v1/jobs/${run.id}`,
        headers: { ...launch, 'x-grafana-user': 'bob' },
      });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json().job.phase, 'Cancelled');
      // a Pod its Job owns gets no finalizer of ours (the Job's TTL removes it): deleted, so never started
      assert.ok(!fake.pods(NS).some((p) => p.metadata?.name === run.id), 'the Pending Pod is deleted');
      // the Job controller counts a deleted Pod as failed, and backoffLimit 0 ends the Job there (no replacement)
      const failed = await waitFor('the Job to fail', () =>
        fake
          .jobs(NS)
          .find(
            (j) =>
              j.metadata?.name === k8sJob.metadata?.name &&
              j.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True')
          )
      );
      assert.equal(failed.status?.active ?? 0, 0);
      const owned = (j: string) =>
        fake.pods(NS).filter((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'Job' && o.name === j));
      assert.deepEqual(owned(k8sJob.metadata!.name!), [], 'no replacement Pod');
      const listed = await waitFor('the run listed as Cancelled', async () =>
        (await jobs(app)).find((j) => j.id === run.id && j.phase === 'Cancelled')
      );
      assert.equal(listed.schedule, schedule.id, "it stays listed as the schedule's run");
      assert.deepEqual([listed.cancelledBy, listed.reason], ['bob', 'Cancelled']);
    } finally {
      release();
    }
  });

  it('/changes names schedules that changed after schedulesSince', async () => {
    const first = (await app.inject({ url: '/api/v1/changes', headers: read })).json();
    assert.equal(typeof first.schedulesRevision, 'number');
    const schedule = await create(app, { sleepSeconds: 0 }, { suspend: true });
    // job changes may answer first; follow the cursors until the schedule shows up
    let cursor = first.cursor;
    let revision = first.schedulesRevision;
    const named: string[] = [];
    for (let i = 0; i < 10 && !named.includes(schedule.id); i++) {
      const answer = (
        await app.inject({
          url: `/api/v1/changes?since=${cursor}&schedulesSince=${revision}&timeoutSeconds=5`,
          headers: read,
        })
      ).json();
      named.push(...answer.schedulesChanged);
      assert.ok(answer.schedulesRevision >= revision);
      cursor = answer.cursor;
      revision = answer.schedulesRevision;
    }
    assert.ok(named.includes(schedule.id), JSON.stringify(named));
    const quiet = (
      await app.inject({
        url: `/api/v1/changes?since=${cursor}&schedulesSince=${revision}&timeoutSeconds=0`,
        headers: read,
      })
    ).json();
    assert.deepEqual(quiet.schedulesChanged, [], 'nothing new after the last revision');
    await app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: launch });
  });

  it('two replicas with one Idempotency-Key make one CronJob; a restarted proxy lists every schedule', async () => {
    const second = await build({ fake });
    try {
      const key = { 'idempotency-key': 'two-replicas-0001' };
      const [a, b] = await Promise.all([
        create(app, { sleepSeconds: 0 }, { suspend: true }, key),
        create(second.app, { sleepSeconds: 0 }, { suspend: true }, key),
      ]);
      assert.equal(a.id, b.id);
      assert.equal(fake.cronJobs(NS).filter((c) => c.metadata?.name === a.id).length, 1);
      const other = await create(app, { sleepSeconds: 0 }, { suspend: true, schedule: '@daily' });
      const ids = [a.id, other.id].sort();
      await second.close();
      // a new process: nothing but Kubernetes remembers the schedules
      const restarted = await build({ fake });
      try {
        const listed = await waitFor('the restarted proxy to list both', async () => {
          const items = (await restarted.app.inject({ url: '/api/v1/schedules', headers: read })).json()
            .items as Schedule[];
          return ids.every((id) => items.some((s) => s.id === id)) ? items : undefined;
        });
        assert.deepEqual(
          listed.map((s) => s.id).sort(),
          fake
            .cronJobs(NS)
            .map((c) => c.metadata?.name)
            .sort()
        );
        assert.equal(listed.find((s) => s.id === other.id)?.schedule, '@daily');
      } finally {
        await restarted.close();
      }
    } finally {
      await second.close();
    }
  });
});
