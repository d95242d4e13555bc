// Drives the fake's batch/v1 API with the real @kubernetes/client-node (BatchV1Api, informers) and checks it
// against what the API server and the controllers do (batch.ts and the *-controller.ts files cite the sources).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1CronJob,
} from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './index.ts';
import { waitFor } from './wait-for.ts';

const NS = 'flowkube-jobs';

interface StatusBody {
  message: string;
  reason: string;
  code: number;
  details: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ field: string; reason: string; message: string }>;
  };
}

async function failure(call: Promise<unknown>): Promise<{ code: number; body: StatusBody }> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ApiException, `expected an ApiException, got ${String(err)}`);
    return { code: err.code, body: JSON.parse(String(err.body)) as StatusBody };
  }
  throw new Error('expected the call to fail');
}

function cronJob(name: string, overrides: Partial<NonNullable<V1CronJob['spec']>> = {}, sleepSeconds = '0'): V1CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'flowkube' } },
    spec: {
      schedule: '*/5 * * * *',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      jobTemplate: {
        spec: {
          backoffLimit: 0,
          ttlSecondsAfterFinished: 600,
          template: {
            metadata: { labels: { 'flowkube.io/template': 'basic' } },
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'worker',
                  image: 'flowkube/worker:0.1.0',
                  command: ['python', '/app/app_basic.py'],
                  env: [
                    { name: 'SLEEP_SECONDS', value: sleepSeconds },
                    { name: 'MESSAGE', value: `run of ${name}` },
                  ],
                },
              ],
            },
          },
        },
      },
      ...overrides,
    },
  };
}

describe('fake-kube batch/v1', () => {
  let fake: FakeKube;
  let batch: BatchV1Api;
  let core: CoreV1Api;
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  before(async () => {
    fake = await startFakeKube({ startDelayMs: 20 });
    const kc = new KubeConfig();
    kc.loadFromOptions(fake.kubeConfigOptions());
    batch = kc.makeApiClient(BatchV1Api);
    core = kc.makeApiClient(CoreV1Api);
  });
  after(() => fake.stop());

  it('creates a CronJob with server fields and the defaults of SetDefaults_CronJob, and gets and lists it', async () => {
    const created = await batch.createNamespacedCronJob({
      namespace: NS,
      body: cronJob('defaults', { concurrencyPolicy: undefined }),
    });
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(Number(created.metadata?.resourceVersion) > 0);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    assert.equal(created.spec?.concurrencyPolicy, 'Allow');
    assert.equal(created.spec?.suspend, false);
    assert.equal(created.spec?.successfulJobsHistoryLimit, 3);
    assert.equal(created.spec?.failedJobsHistoryLimit, 1);
    const got = await batch.readNamespacedCronJob({ name: 'defaults', namespace: NS });
    assert.equal(got.metadata?.uid, created.metadata?.uid);
    const mine = await batch.listNamespacedCronJob({
      namespace: NS,
      labelSelector: 'app.kubernetes.io/managed-by=flowkube',
    });
    assert.ok(mine.items.some((c) => c.metadata?.name === 'defaults'));
    const others = await batch.listNamespacedCronJob({
      namespace: NS,
      labelSelector: 'app.kubernetes.io/managed-by!=flowkube',
    });
    assert.equal(others.items.length, 0);
    const again = await failure(batch.createNamespacedCronJob({ namespace: NS, body: cronJob('defaults') }));
    assert.equal(again.code, 409);
    assert.equal(again.body.message, 'cronjobs.batch "defaults" already exists');
    assert.deepEqual(again.body.details, { name: 'defaults', group: 'batch', kind: 'cronjobs' });
    const missing = await failure(batch.readNamespacedCronJob({ name: 'nope', namespace: NS }));
    assert.equal(missing.code, 404);
    assert.equal(missing.body.message, 'cronjobs.batch "nope" not found');
    await batch.deleteNamespacedCronJob({ name: 'defaults', namespace: NS });
  });

  it('answers 422 with causes for what validation.go refuses: schedule, TZ, time zone, a name over 52', async () => {
    const cases: Array<[V1CronJob, string, RegExp]> = [
      [cronJob('bad-cron', { schedule: '*/5 * * *' }), 'spec.schedule', /expected exactly 5 fields, found 4/],
      [cronJob('bad-seconds', { schedule: '0 */5 * * * *' }), 'spec.schedule', /expected exactly 5 fields, found 6/],
      [cronJob('bad-range', { schedule: '61 * * * *' }), 'spec.schedule', /end of range \(61\) above maximum \(59\)/],
      [
        cronJob('bad-tz', { schedule: 'CRON_TZ=UTC 0 * * * *' }),
        'spec.schedule',
        /cannot use TZ or CRON_TZ in schedule/,
      ],
      [cronJob('bad-zone', { timeZone: 'Mars/Olympus_Mons' }), 'spec.timeZone', /unknown time zone Mars\/Olympus_Mons/],
      [cronJob('bad-policy', { concurrencyPolicy: 'Sometimes' }), 'spec.concurrencyPolicy', /Unsupported value/],
      [cronJob(`n${'x'.repeat(52)}`), 'metadata.name', /must be no more than 52 characters/],
    ];
    for (const [body, field, message] of cases) {
      const refused = await failure(batch.createNamespacedCronJob({ namespace: NS, body }));
      assert.equal(refused.code, 422, field);
      assert.equal(refused.body.reason, 'Invalid');
      assert.match(refused.body.message, new RegExp(`^CronJob\\.batch "${body.metadata?.name}" is invalid: `));
      const cause = refused.body.details.causes?.find((c) => c.field === field);
      assert.ok(cause, `${field} in ${JSON.stringify(refused.body.details.causes)}`);
      assert.equal(cause.reason, field === 'spec.concurrencyPolicy' ? 'FieldValueNotSupported' : 'FieldValueInvalid');
      assert.match(cause.message, message);
    }
    // a Job's Pod template must not restart Always
    const job = cronJob('x').spec!.jobTemplate;
    job.spec!.template.spec!.restartPolicy = 'Always';
    const always = await failure(
      batch.createNamespacedJob({ namespace: NS, body: { metadata: { name: 'always' }, spec: job.spec! } })
    );
    assert.equal(always.code, 422);
    assert.equal(always.body.details.causes?.[0]?.field, 'spec.template.spec.restartPolicy');
    assert.equal(fake.cronJobs().length, 0);
  });

  it('merge-patches simple fields, bumps generation on spec changes, validates and keeps identity fields', async () => {
    const created = await batch.createNamespacedCronJob({ namespace: NS, body: cronJob('patched', { suspend: true }) });
    const patched = await batch.patchNamespacedCronJob(
      {
        name: 'patched',
        namespace: NS,
        body: { spec: { schedule: '0 3 * * *', timeZone: 'UTC' }, metadata: { name: 'renamed' } },
      },
      merge
    );
    assert.equal(patched.spec?.schedule, '0 3 * * *');
    assert.equal(patched.spec?.timeZone, 'UTC');
    assert.equal(patched.metadata?.name, 'patched');
    assert.equal(patched.metadata?.generation, 2);
    assert.ok(Number(patched.metadata?.resourceVersion) > Number(created.metadata?.resourceVersion));
    const strategic = await batch.patchNamespacedCronJob(
      { name: 'patched', namespace: NS, body: { spec: { timeZone: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)
    );
    assert.equal(strategic.spec?.timeZone, undefined);
    const invalid = await failure(
      batch.patchNamespacedCronJob({ name: 'patched', namespace: NS, body: { spec: { schedule: '@reboot' } } }, merge)
    );
    assert.equal(invalid.code, 422);
    assert.equal(
      invalid.body.details.causes?.[0]?.message,
      'Invalid value: "@reboot": unrecognized descriptor: @reboot'
    );
    const stale = await failure(
      batch.patchNamespacedCronJob(
        { name: 'patched', namespace: NS, body: { metadata: { resourceVersion: '1' }, spec: { suspend: false } } },
        merge
      )
    );
    assert.equal(stale.code, 409);
    const gone = await failure(
      batch.patchNamespacedCronJob({ name: 'nope', namespace: NS, body: { spec: {} } }, merge)
    );
    assert.equal(gone.code, 404);
    const jsonPatch = await failure(batch.patchNamespacedCronJob({ name: 'patched', namespace: NS, body: [] }));
    assert.equal(jsonPatch.code, 415);
    await batch.deleteNamespacedCronJob({ name: 'patched', namespace: NS });
  });

  it("feeds client-node's informer: add, update and delete of CronJobs", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions(fake.kubeConfigOptions());
    const informer = makeInformer(kc, `/apis/batch/v1/namespaces/${NS}/cronjobs`, () =>
      batch.listNamespacedCronJob({ namespace: NS })
    );
    const seen: string[] = [];
    informer.on('add', (c) => seen.push(`add:${c.metadata?.name}`));
    informer.on('update', (c) => seen.push(`update:${c.metadata?.name}:${c.spec?.suspend}`));
    informer.on('delete', (c) => seen.push(`delete:${c.metadata?.name}`));
    await informer.start();
    try {
      await batch.createNamespacedCronJob({ namespace: NS, body: cronJob('watched', { suspend: true }) });
      await batch.patchNamespacedCronJob(
        { name: 'watched', namespace: NS, body: { spec: { suspend: false, schedule: '0 0 1 1 *' } } },
        merge
      );
      await batch.deleteNamespacedCronJob({ name: 'watched', namespace: NS });
      await waitFor('three events', () => seen.length >= 3);
      assert.deepEqual(seen, ['add:watched', 'update:watched:false', 'delete:watched']);
    } finally {
      await informer.stop();
    }
  });

  it('fires a schedule: the Job named <cronjob>-<minutes>, its Pod with the Job labels and owner, the real worker, TTL', async () => {
    await batch.createNamespacedCronJob({ namespace: NS, body: cronJob('nightly') });
    const job = fake.fireNow('nightly');
    assert.ok(job, 'a Job for the scheduled time');
    const minutes = Number(job.metadata?.name?.slice('nightly-'.length));
    assert.equal((minutes * 60_000) % (5 * 60_000), 0, 'a */5 time');
    assert.equal(job.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
    assert.equal(job.metadata?.ownerReferences?.[0]?.controller, true);
    assert.ok(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']);
    const uid = job.metadata?.uid ?? '';
    assert.equal(job.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid'], uid);

    const pod = await waitFor('the Job controller to make its Pod', () =>
      fake.pods(NS).find((p) => p.metadata?.labels?.['batch.kubernetes.io/job-name'] === job.metadata?.name)
    );
    assert.match(pod.metadata?.name ?? '', new RegExp(`^${job.metadata?.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/controller-uid'], uid);
    assert.equal(pod.metadata?.labels?.['controller-uid'], uid);
    assert.equal(pod.metadata?.labels?.['flowkube.io/template'], 'basic');
    assert.deepEqual(pod.metadata?.ownerReferences, [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: job.metadata?.name,
        uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);

    const done = await waitFor('the Job to complete', () =>
      fake.jobs(NS).find((j) => j.metadata?.uid === uid && j.status?.conditions?.some((c) => c.type === 'Complete'))
    );
    assert.equal(done.status?.succeeded, 1);
    assert.equal(done.status?.active, 0);
    const podAfter = await core.readNamespacedPod({ name: pod.metadata?.name ?? '', namespace: NS });
    assert.equal(podAfter.status?.phase, 'Succeeded', 'the real worker ran');
    const cj = await waitFor('lastSuccessfulTime', () =>
      fake.cronJobs(NS).find((c) => c.metadata?.name === 'nightly' && c.status?.lastSuccessfulTime && !c.status.active)
    );
    assert.equal(new Date(String(cj.status?.lastScheduleTime)).getTime(), new Date(minutes * 60_000).getTime());

    // to 30 s before the TTL runs out, counted from the Job's finish: the controllers' clock is real time plus the
    // advances, so a loaded machine's seconds between the finish and this line must not eat the margin
    const expires = Date.parse(String(done.status?.completionTime)) + 600_000;
    fake.advanceClock(Math.max(0, expires - 30_000 - fake.now().getTime()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(
      fake.jobs(NS).some((j) => j.metadata?.uid === uid),
      'kept until its TTL'
    );
    fake.advanceClock(31_000);
    await waitFor(
      'TTL to delete the Job and its Pod',
      () =>
        !fake.jobs(NS).some((j) => j.metadata?.uid === uid) &&
        !fake.pods(NS).some((p) => p.metadata?.name === pod.metadata?.name)
    );
    await batch.deleteNamespacedCronJob({ name: 'nightly', namespace: NS });
  });

  it('Forbid skips while a run is active, Allow runs side by side, Replace deletes the active run; suspend fires nothing', async () => {
    for (const policy of ['Forbid', 'Allow', 'Replace']) {
      await batch.createNamespacedCronJob({
        namespace: NS,
        body: cronJob(`p-${policy.toLowerCase()}`, { concurrencyPolicy: policy }, '30'),
      });
    }
    // one clock: moving it to the next */5 time fires all three
    const firstAllow = fake.fireNow('p-allow');
    const runs = (name: string) => fake.jobs(NS).filter((j) => j.metadata?.ownerReferences?.[0]?.name === name);
    const [firstForbid] = runs('p-forbid');
    const [firstReplace] = runs('p-replace');
    assert.ok(firstForbid && firstAllow && firstReplace);
    await waitFor('three running Pods', () => fake.pods(NS).filter((p) => p.status?.phase === 'Running').length >= 3);
    assert.ok(fake.fireNow('p-allow'), 'Allow: a second run');
    assert.equal(runs('p-forbid').length, 1, 'Forbid: no second run');
    assert.equal(runs('p-allow').length, 2);
    assert.equal(runs('p-replace').length, 1);
    assert.notEqual(runs('p-replace')[0]?.metadata?.name, firstReplace.metadata?.name, 'Replace deleted the old run');
    const owned = (name: string) => runs(name).length;

    await batch.patchNamespacedCronJob({ name: 'p-allow', namespace: NS, body: { spec: { suspend: true } } }, merge);
    assert.equal(fake.fireNow('p-allow'), undefined, 'suspended');
    assert.equal(owned('p-allow'), 2);

    // Orphan keeps the runs, Background deletes them with their Pods
    await batch.deleteNamespacedCronJob({ name: 'p-allow', namespace: NS, propagationPolicy: 'Orphan' });
    assert.equal(fake.jobs(NS).filter((j) => j.metadata?.name?.startsWith('p-allow-')).length, 2);
    assert.ok(fake.jobs(NS).every((j) => !j.metadata?.name?.startsWith('p-allow-') || !j.metadata.ownerReferences));
    await batch.deleteNamespacedCronJob({ name: 'p-forbid', namespace: NS, propagationPolicy: 'Background' });
    assert.equal(owned('p-forbid'), 0);
    await waitFor(
      'the Background-deleted run to lose its Pod',
      () =>
        !fake.pods(NS).some((p) => p.metadata?.labels?.['batch.kubernetes.io/job-name'] === firstForbid.metadata?.name)
    );
    await batch.deleteNamespacedCronJob({ name: 'p-replace', namespace: NS });
    for (const j of fake.jobs(NS)) {
      await batch.deleteNamespacedJob({ name: j.metadata?.name ?? '', namespace: NS, propagationPolicy: 'Background' });
    }
    await waitFor('every worker to stop', () => fake.running() === 0);
  });

  it('a Job whose Pod fails with backoffLimit 0 is Failed; activeDeadlineSeconds fails a running Job', async () => {
    const template = cronJob('x').spec!.jobTemplate.spec!;
    template.template.spec!.containers[0]!.image = 'flowkube/worker:0.1.0';
    template.template.spec!.containers[0]!.command = ['python', '/app/app_log.py'];
    template.template.spec!.containers[0]!.env = [
      { name: 'TASKS', value: '1' },
      { name: 'TASK_INTERVAL_MS', value: '1' },
      { name: 'FAIL', value: 'true' },
    ];
    await batch.createNamespacedJob({ namespace: NS, body: { metadata: { name: 'fails' }, spec: template } });
    const failed = await waitFor('BackoffLimitExceeded', () =>
      fake.jobs(NS).find((j) => j.metadata?.name === 'fails' && j.status?.conditions?.some((c) => c.type === 'Failed'))
    );
    assert.equal(failed.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status?.failed, 1);
    assert.equal(fake.pods(NS).filter((p) => p.metadata?.labels?.['job-name'] === 'fails').length, 1, 'no retry');

    const slow = cronJob('y', {}, '60').spec!.jobTemplate.spec!;
    slow.activeDeadlineSeconds = 30;
    await batch.createNamespacedJob({ namespace: NS, body: { metadata: { name: 'slow' }, spec: slow } });
    await waitFor('the slow Pod to run', () =>
      fake.pods(NS).find((p) => p.metadata?.labels?.['job-name'] === 'slow' && p.status?.phase === 'Running')
    );
    fake.advanceClock(31_000);
    const timedOut = await waitFor('DeadlineExceeded', () =>
      fake.jobs(NS).find((j) => j.metadata?.name === 'slow' && j.status?.conditions?.some((c) => c.type === 'Failed'))
    );
    assert.equal(timedOut.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'DeadlineExceeded');
    await waitFor('its Pod to be stopped', () => fake.running() === 0);
    for (const name of ['fails', 'slow']) {
      const answer = await batch.deleteNamespacedJob({ name, namespace: NS, propagationPolicy: 'Foreground' });
      assert.ok(answer);
    }
    await waitFor('Foreground deletes to finish', () => fake.jobs(NS).length === 0 && fake.pods(NS).length === 0);
  });
});
