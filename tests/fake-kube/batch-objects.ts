// How the API server admits batch/v1 CronJobs and Jobs: validation with the real field paths and messages
// (kubernetes/kubernetes pkg/apis/batch/validation/validation.go), defaults (pkg/apis/batch/v1/defaults.go) and the
// selector and labels the Job strategy generates (pkg/registry/batch/job/strategy.go, generateSelector).
import { randomUUID } from 'node:crypto';
import type { V1CronJob, V1Job, V1OwnerReference } from '@kubernetes/client-node';
import { CronError, parseCron } from '../../pkg-backend-proxy/src/schedules/cron.ts';
import { timeZoneError } from '../../pkg-backend-proxy/src/schedules/time-zone.ts';
import { timestamp } from './objects.ts';
import type { StatusCause } from './status.ts';
import { clone } from './store.ts';
import { labelValueError, nameErrors, podSemanticErrors } from './validate.ts';

export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';
export const LABEL_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
/** The unprefixed labels the strategy still writes beside the prefixed ones (RequirePrefixedLabels keeps both). */
export const LEGACY_JOB_NAME = 'job-name';
export const LEGACY_CONTROLLER_UID = 'controller-uid';
export const ANN_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (field: string, value: unknown, message: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${message}`,
  field,
});
const required = (field: string, detail = ''): StatusCause => ({
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
  field,
});
const notSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  field,
});
const nonNegative = (field: string, value: unknown): StatusCause[] =>
  typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];

/** ValidatePodTemplateSpec inside a Job: the Pod checks under the template's path, and a Job's restart policies. */
function podTemplateErrors(template: unknown, at: string): StatusCause[] {
  const t = isObject(template) ? template : {};
  const spec = isObject(t.spec) ? t.spec : {};
  const meta = isObject(t.metadata) ? t.metadata : {};
  const causes: StatusCause[] = podSemanticErrors({ metadata: { ...meta, name: 'template' }, spec })
    .filter((c) => c.field !== 'metadata.name')
    .map((c) => ({ ...c, field: `${at}.${c.field}` }));
  const policy = spec.restartPolicy;
  if (policy === undefined || policy === '') {
    causes.push(required(`${at}.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  } else if (policy !== 'OnFailure' && policy !== 'Never') {
    causes.push(notSupported(`${at}.spec.restartPolicy`, policy, ['OnFailure', 'Never']));
  }
  return causes;
}

function jobSpecErrors(spec: unknown, at: string): StatusCause[] {
  const s = isObject(spec) ? spec : {};
  const causes = [
    ...nonNegative(`${at}.backoffLimit`, s.backoffLimit),
    ...nonNegative(`${at}.ttlSecondsAfterFinished`, s.ttlSecondsAfterFinished),
    ...nonNegative(`${at}.parallelism`, s.parallelism),
    ...nonNegative(`${at}.completions`, s.completions),
  ];
  const deadline = s.activeDeadlineSeconds;
  if (typeof deadline === 'number' && deadline <= 0) {
    causes.push(invalid(`${at}.activeDeadlineSeconds`, deadline, 'must be greater than 0'));
  }
  causes.push(...podTemplateErrors(s.template, `${at}.template`));
  return causes;
}

/** ValidateCronJobCreate (create) or ValidateCronJobUpdate (update: no 52-character name limit). */
export function cronJobErrors(cronJob: Json, create: boolean): StatusCause[] {
  const meta = isObject(cronJob.metadata) ? cronJob.metadata : {};
  const spec = isObject(cronJob.spec) ? cronJob.spec : {};
  const causes = nameErrors(meta.name);
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (schedule === '') {
    causes.push(required('spec.schedule'));
  } else {
    try {
      parseCron(schedule);
    } catch (err) {
      if (!(err instanceof CronError)) {
        throw err;
      }
      causes.push(invalid('spec.schedule', schedule, err.message));
    }
  }
  causes.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  if (typeof spec.timeZone === 'string') {
    const problem = timeZoneError(spec.timeZone);
    if (problem) {
      causes.push(invalid('spec.timeZone', spec.timeZone, problem));
    }
  }
  const policy = spec.concurrencyPolicy;
  if (policy === '') {
    causes.push(required('spec.concurrencyPolicy'));
  } else if (!['Allow', 'Forbid', 'Replace'].includes(String(policy))) {
    causes.push(notSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  }
  const jobTemplate = isObject(spec.jobTemplate) ? spec.jobTemplate : {};
  causes.push(...jobSpecErrors(jobTemplate.spec, 'spec.jobTemplate.spec'));
  causes.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  causes.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (create && name.length > 52) {
    // the controller appends "-<minutes since the epoch>" (11 characters) to make Job names of at most 63
    causes.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  }
  return causes;
}

/** ValidateJob on create: after the strategy has generated the selector and labels. */
export function jobErrors(job: Json): StatusCause[] {
  const meta = isObject(job.metadata) ? job.metadata : {};
  const causes = nameErrors(meta.name);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const labelProblem = name === '' ? undefined : labelValueError(name);
  if (labelProblem) {
    // the generated job-name label must be a valid label value
    causes.push(invalid(`spec.template.metadata.labels[${LABEL_JOB_NAME}]`, name, labelProblem));
  }
  causes.push(...jobSpecErrors(job.spec, 'spec'));
  return causes;
}

/** Server-set metadata of a new object. */
function admitMeta(meta: Json, namespace: string, name: string, now: Date): Json {
  return {
    ...meta,
    name,
    namespace,
    uid: randomUUID(),
    creationTimestamp: timestamp(now),
    generation: 1,
  };
}

/** A CronJob as stored (SetDefaults_CronJob: Allow, not suspended, history limits 3 and 1). */
export function admitCronJob(body: Json, namespace: string, name: string, now: Date): V1CronJob {
  const cronJob = clone(body) as Json;
  cronJob.metadata = admitMeta(isObject(body.metadata) ? body.metadata : {}, namespace, name, now);
  const spec = (isObject(cronJob.spec) ? cronJob.spec : {}) as Json;
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  cronJob.spec = spec;
  cronJob.status = {};
  delete cronJob.kind;
  delete cronJob.apiVersion;
  return cronJob as unknown as V1CronJob;
}

/**
 * A Job as stored: SetDefaults_Job (parallelism and completions 1, backoffLimit 6, NonIndexed) and the strategy's
 * generated selector and labels on the Pod template (and on the Job itself when it has none).
 */
export function admitJob(body: Json, namespace: string, name: string, now: Date): V1Job {
  const job = clone(body) as Json;
  const meta = admitMeta(isObject(body.metadata) ? body.metadata : {}, namespace, name, now);
  const uid = String(meta.uid);
  const spec = (isObject(job.spec) ? job.spec : {}) as Json;
  spec.parallelism ??= 1;
  spec.completions ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.manualSelector ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  spec.selector = { matchLabels: { [LABEL_CONTROLLER_UID]: uid } };
  const template = (isObject(spec.template) ? spec.template : {}) as Json;
  const templateMeta = (isObject(template.metadata) ? template.metadata : {}) as Json;
  const generated = {
    [LABEL_CONTROLLER_UID]: uid,
    [LABEL_JOB_NAME]: name,
    [LEGACY_CONTROLLER_UID]: uid,
    [LEGACY_JOB_NAME]: name,
  };
  templateMeta.labels = { ...(isObject(templateMeta.labels) ? templateMeta.labels : {}), ...generated };
  template.metadata = templateMeta;
  spec.template = template;
  job.spec = spec;
  if (!isObject(meta.labels) || Object.keys(meta.labels).length === 0) {
    meta.labels = { ...(templateMeta.labels as Json) };
  }
  job.metadata = meta;
  job.status = {};
  delete job.kind;
  delete job.apiVersion;
  return job as unknown as V1Job;
}

export function controllerRef(
  kind: 'CronJob' | 'Job',
  owner: { metadata?: { name?: string; uid?: string } }
): V1OwnerReference {
  return {
    apiVersion: 'batch/v1',
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The Job a CronJob makes for one scheduled time (pkg/controller/cronjob/utils.go getJobFromTemplate2): the
 * template's labels and annotations, the scheduled-timestamp annotation, a controller reference, and the name
 * `<cronjob>-<minutes since the epoch>`, so one scheduled time can only ever make one Job.
 */
export function jobFromCronJob(cronJob: V1CronJob, scheduledTime: Date): Json {
  const template = cronJob.spec?.jobTemplate ?? {};
  const minutes = Math.floor(scheduledTime.getTime() / 60_000);
  return {
    metadata: {
      name: `${cronJob.metadata?.name ?? ''}-${minutes}`,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}), [ANN_SCHEDULED_TIMESTAMP]: timestamp(scheduledTime) },
      ownerReferences: [controllerRef('CronJob', cronJob)],
    },
    spec: clone(template.spec ?? {}),
  };
}

export const isFinished = (job: V1Job): 'Complete' | 'Failed' | undefined => {
  const done = job.status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'
  );
  return done?.type as 'Complete' | 'Failed' | undefined;
};
