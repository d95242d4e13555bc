import type { V1CronJob, V1PodTemplateSpec } from '@kubernetes/client-node';
import { renderPod } from '../catalog/render-pod.ts';
import type { CatalogTemplate } from '../catalog/schema.ts';
import { requestHash } from '../jobs/names.ts';
import { ANN_CREATED_BY, ANN_PARAMS, LABEL_MANAGED_BY, LABEL_SCHEDULE, LABEL_TEMPLATE, MANAGED_BY } from '../labels.ts';
import type { ConcurrencyPolicy, ParamValues } from '../schemas/index.ts';

/** What Kubernetes would otherwise default differently (Allow, no deadline, 3 and 1). */
export const SCHEDULE_DEFAULTS = {
  concurrencyPolicy: 'Forbid' as ConcurrencyPolicy,
  startingDeadlineSeconds: 300,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
};

export interface CronJobInput {
  template: CatalogTemplate;
  /** Validated, defaults filled. */
  params: ParamValues;
  name: string;
  namespace: string;
  createdBy: string;
  schedule: string;
  timeZone: string;
  suspend: boolean;
  concurrencyPolicy: ConcurrencyPolicy;
  /** FLOWKUBE_RETENTION_SECONDS: the Job's TTL, so runs stay listed as long as hand launches do. */
  retentionSeconds: number;
}

/**
 * The Pod template of a schedule's runs: exactly the Pod renderPod makes for the template and params (hardening,
 * resources, labels including job_type, annotations), without the name the Job controller chooses, plus the
 * schedule label, and `schedule:<name>` as the launcher.
 */
export function schedulePodTemplate(input: Omit<CronJobInput, 'schedule' | 'timeZone' | 'suspend'>): V1PodTemplateSpec {
  const launchedBy = `schedule:${input.name}`;
  const pod = renderPod({
    template: input.template,
    params: input.params,
    name: '',
    namespace: input.namespace,
    launchedBy,
    requestHash: requestHash(input.template.id, input.params),
    // every run of a schedule comes from the same template; the schedule is the launch
    launchId: launchedBy,
  });
  const { name: _name, namespace: _namespace, ...metadata } = pod.metadata ?? {};
  return {
    metadata: { ...metadata, labels: { ...metadata.labels, [LABEL_SCHEDULE]: input.name } },
    spec: pod.spec,
  };
}

/** A schedule as the CronJob FlowKube creates for it. */
export function renderCronJob(input: CronJobInput): V1CronJob {
  const podTemplate = schedulePodTemplate(input);
  const labels = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TEMPLATE]: input.template.id, [LABEL_SCHEDULE]: input.name };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels,
      annotations: { [ANN_CREATED_BY]: input.createdBy, [ANN_PARAMS]: JSON.stringify(input.params) },
    },
    spec: {
      schedule: input.schedule,
      timeZone: input.timeZone,
      suspend: input.suspend,
      concurrencyPolicy: input.concurrencyPolicy,
      startingDeadlineSeconds: SCHEDULE_DEFAULTS.startingDeadlineSeconds,
      successfulJobsHistoryLimit: SCHEDULE_DEFAULTS.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: SCHEDULE_DEFAULTS.failedJobsHistoryLimit,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: input.template.timeoutSeconds,
          ttlSecondsAfterFinished: input.retentionSeconds,
          template: podTemplate,
        },
      },
    },
  };
}
