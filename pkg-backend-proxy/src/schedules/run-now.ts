import { randomInt } from 'node:crypto';
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { NAME_ALPHABET } from '../jobs/names.ts';
import { ANN_INSTANTIATE } from '../labels.ts';

/**
 * One run now, as `kubectl create job --from=cronjob/<name>` makes it (kubernetes staging/src/k8s.io/kubectl/pkg/
 * cmd/create/create_job.go, createJobFromCronJob): the jobTemplate's labels, annotations and spec, the
 * `cronjob.kubernetes.io/instantiate: manual` annotation and the CronJob as controller owner, so the CronJob's
 * concurrencyPolicy and history limits count it like its scheduled runs. The name `<cronjob>-m<5>` cannot meet a
 * scheduled run's `<cronjob>-<minutes>` and stays within 63 characters.
 */
export function manualJob(cronJob: V1CronJob, pick: (n: number) => number = randomInt): V1Job {
  const template = cronJob.spec?.jobTemplate;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += NAME_ALPHABET[pick(NAME_ALPHABET.length)];
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${cronJob.metadata?.name ?? ''}-m${suffix}`,
      namespace: cronJob.metadata?.namespace,
      labels: { ...(template?.metadata?.labels ?? {}) },
      annotations: { ...(template?.metadata?.annotations ?? {}), [ANN_INSTANTIATE]: 'manual' },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.metadata?.name ?? '',
          uid: cronJob.metadata?.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: structuredClone(template?.spec ?? { template: {} }),
  };
}
