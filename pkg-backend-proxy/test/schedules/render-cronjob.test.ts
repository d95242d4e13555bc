import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../src/catalog/load.ts';
import { renderPod } from '../../src/catalog/render-pod.ts';
import { DEFAULT_CATALOG } from '../../src/config.ts';
import { requestHash } from '../../src/jobs/names.ts';
import { manualJob } from '../../src/schedules/run-now.ts';
import { renderCronJob } from '../../src/schedules/render-cronjob.ts';
import { scheduleName } from '../../src/schedules/names.ts';

const catalog = loadCatalog(DEFAULT_CATALOG);
const basic = catalog.byId.get('basic')!;
const params = { message: 'nightly', sleepSeconds: 5 };

function cronJob() {
  return renderCronJob({
    template: basic,
    params,
    name: 'basic-bcdfghjklm',
    namespace: 'flowkube-jobs',
    createdBy: 'alice',
    schedule: '0 2 * * *',
    timeZone: 'Europe/Berlin',
    suspend: false,
    concurrencyPolicy: 'Forbid',
    retentionSeconds: 3600,
  });
}

test('the CronJob: FlowKube labels, who and params, the schedule fields and their defaults', () => {
  const cj = cronJob();
  assert.deepEqual(cj.metadata?.labels, {
    'app.kubernetes.io/managed-by': 'flowkube',
    'flowkube.io/template': 'basic',
    'flowkube.io/schedule': 'basic-bcdfghjklm',
  });
  assert.deepEqual(cj.metadata?.annotations, {
    'flowkube.io/created-by': 'alice',
    'flowkube.io/params': JSON.stringify(params),
  });
  const { jobTemplate, ...spec } = cj.spec!;
  assert.deepEqual(spec, {
    schedule: '0 2 * * *',
    timeZone: 'Europe/Berlin',
    suspend: false,
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 300,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
  });
  assert.equal(jobTemplate.spec?.backoffLimit, 0);
  assert.equal(jobTemplate.spec?.activeDeadlineSeconds, basic.timeoutSeconds);
  assert.equal(jobTemplate.spec?.ttlSecondsAfterFinished, 3600);
});

test("the Pod template is renderPod's Pod for the same template and params, plus the schedule label", () => {
  const template = cronJob().spec!.jobTemplate.spec!.template;
  const pod = renderPod({
    template: basic,
    params,
    name: 'ignored',
    namespace: 'flowkube-jobs',
    launchedBy: 'schedule:basic-bcdfghjklm',
    requestHash: requestHash('basic', params),
    launchId: 'schedule:basic-bcdfghjklm',
  });
  assert.deepEqual(template.spec, pod.spec);
  assert.equal(template.metadata?.labels?.job_type, 'basic');
  assert.deepEqual(template.metadata?.labels, { ...pod.metadata?.labels, 'flowkube.io/schedule': 'basic-bcdfghjklm' });
  assert.deepEqual(template.metadata?.annotations, pod.metadata?.annotations);
  assert.equal(template.metadata?.annotations?.['flowkube.io/launched-by'], 'schedule:basic-bcdfghjklm');
  assert.equal(template.metadata?.name, undefined, 'the Job controller names the Pods');
  assert.equal(template.metadata?.namespace, undefined);
});

test('names fit 52 characters; the same Idempotency-Key always gives the same name', () => {
  const long = 'a'.repeat(40);
  assert.ok(scheduleName(long).length <= 52);
  assert.match(scheduleName('basic'), /^basic-[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  assert.equal(scheduleName('basic', 'key-12345678'), scheduleName('basic', 'key-12345678'));
  assert.notEqual(scheduleName('basic', 'key-12345678'), scheduleName('basic', 'key-12345679'));
  assert.ok(scheduleName(long, 'key-12345678').length <= 52);
});

test('run-now is the Job kubectl create job --from=cronjob makes: template, manual annotation, owner', () => {
  const cj = cronJob();
  cj.metadata!.uid = 'uid-1';
  const job = manualJob(cj, () => 0);
  assert.equal(job.metadata?.name, 'basic-bcdfghjklm-mbbbbb');
  assert.equal(job.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
  assert.deepEqual(job.metadata?.labels, cj.spec?.jobTemplate.metadata?.labels);
  assert.deepEqual(job.metadata?.ownerReferences, [
    { apiVersion: 'batch/v1', kind: 'CronJob', name: 'basic-bcdfghjklm', uid: 'uid-1', controller: true },
  ]);
  assert.deepEqual(job.spec, cj.spec?.jobTemplate.spec);
  assert.notEqual(job.spec, cj.spec?.jobTemplate.spec, 'a copy');
  assert.ok((job.metadata?.name ?? '').length <= 63);
});
