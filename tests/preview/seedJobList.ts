// Jobs as a team's cluster holds them after a day or two: three templates, runs of a nightly schedule, every phase,
// failures with Kubernetes' own reasons. Seeded Pods have no process behind them, so they stay as seeded until a
// test (or a cancel) changes them.
import type { FakeKube } from '../fake-kube/index.ts';
import {
  ANN_LAUNCHED_BY,
  ANN_PARAMS,
  LABEL_JOB_TYPE,
  LABEL_MANAGED_BY,
  LABEL_SCHEDULE,
  LABEL_TEMPLATE,
  MANAGED_BY,
} from '../../pkg-backend-proxy/src/labels.ts';

type SeedPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

interface Batch {
  template: string;
  phase: SeedPhase;
  count: number;
  /** Name prefix: the proxy's ids are `<template>-<5 chars>`, a schedule's runs `<schedule>-<minute>-<5 chars>`. */
  prefix: string;
  params: Record<string, unknown>;
  schedule?: string;
}

const USERS = ['alice', 'bob', 'carol.on-call@example.com', 'svc-nightly'];
const BATCHES: Batch[] = [
  {
    template: 'basic',
    phase: 'Succeeded',
    count: 38,
    prefix: 'basic-x7k',
    params: { message: 'hello', sleepSeconds: 5 },
  },
  { template: 'log-gen', phase: 'Failed', count: 16, prefix: 'log-gen-q2', params: { tasks: 400, fail: true } },
  { template: 'log-gen', phase: 'Succeeded', count: 12, prefix: 'log-gen-m4', params: { tasks: 15, level: 'WARN' } },
  { template: 'cpu-load', phase: 'Running', count: 9, prefix: 'cpu-load-r', params: { durationSeconds: 3600 } },
  { template: 'basic', phase: 'Pending', count: 6, prefix: 'basic-p5w', params: { message: 'queued' } },
  {
    template: 'basic',
    phase: 'Succeeded',
    count: 22,
    prefix: 'basic-nightly-29433-z',
    params: { message: 'nightly' },
    schedule: 'basic-nightly',
  },
];

/**
 * Seeds the jobs into `namespace`, newest first in the returned names (the list's default order). Finished ones all
 * ended within the last 40 minutes: the proxy's retention (one hour by default) deletes older finished Pods.
 */
export function seedJobList(fake: FakeKube, namespace: string, now = Date.now()): string[] {
  const names: Array<{ name: string; createdAt: number }> = [];
  let secondsAgo = 300;
  let user = 0;
  for (const batch of BATCHES) {
    for (let i = 0; i < batch.count; i++) {
      const createdAt = now - secondsAgo * 1000;
      secondsAgo += 12 + (i % 5) * 3;
      const [pod] = fake.seedPods(1, {
        namespace,
        namePrefix: batch.prefix,
        phase: batch.phase,
        createdAt: new Date(createdAt),
        finishedAt: new Date(createdAt + (20 + (i % 7) * 30) * 1000),
        labels: {
          [LABEL_MANAGED_BY]: MANAGED_BY,
          [LABEL_TEMPLATE]: batch.template,
          [LABEL_JOB_TYPE]: batch.template,
          ...(batch.schedule ? { [LABEL_SCHEDULE]: batch.schedule } : {}),
        },
        annotations: {
          [ANN_LAUNCHED_BY]: batch.schedule ? 'svc-nightly' : USERS[user++ % USERS.length],
          [ANN_PARAMS]: JSON.stringify(batch.params),
        },
      });
      names.push({ name: pod.metadata!.name!, createdAt });
    }
  }
  return names.sort((a, b) => b.createdAt - a.createdAt).map((n) => n.name);
}
