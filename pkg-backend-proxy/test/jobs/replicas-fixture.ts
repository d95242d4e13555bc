// Two proxy replicas (two apps) on one fake API, sharing the slot Leases, with a catalog whose Pods mostly stay Pending.
import { after, before } from 'node:test';
import { startFakeKube, type FakeKube } from '../../../tests/fake-kube/index.ts';
import { parseCatalog } from '../../src/catalog/load.ts';
import { type Built, build, flowkubePods } from '../helper.ts';

export const NS = 'flowkube-jobs';
export const MAX_ACTIVE = 7;
export const NARROW_LIMIT = 2;

// Pods of an image the fake does not run stay Pending (ImagePullBackOff): active, and no worker process burns CPU.
const template = (id: string, maxConcurrent: number) => `
  - id: ${id}
    title: ${id}
    description: Stays Pending.
    image: example.com/never-pulled:1
    command: [sleep, '3600']
    params: { type: object, additionalProperties: false, properties: {} }
    resources:
      requests: { cpu: 10m, memory: 16Mi }
      limits: { cpu: 10m, memory: 16Mi }
    timeoutSeconds: 600
    maxConcurrent: ${maxConcurrent}`;
// a real worker process (the fake runs python/app_basic.py), for a Pod whose status must stay as a test sets it
const sleepy = `
  - id: sleepy
    title: sleepy
    description: Sleeps a minute.
    image: flowkube/worker:0.1.0
    command: [python, /app/app_basic.py]
    env: [{ name: SLEEP_SECONDS, value: '60' }]
    params: { type: object, additionalProperties: false, properties: {} }
    resources:
      requests: { cpu: 10m, memory: 32Mi }
      limits: { cpu: 100m, memory: 64Mi }
    timeoutSeconds: 600
    maxConcurrent: 2`;
const catalog = parseCatalog(
  `templates:${template('wide', 10)}${template('narrow', NARROW_LIMIT)}${sleepy}`,
  'replicas.yaml'
);

type Deps = NonNullable<Parameters<typeof build>[0]>['deps'];

/** The file's fake (started before its tests, stopped after) and builders of replicas on it. */
export function replicasFixture() {
  let fake: FakeKube | undefined;
  before(async () => {
    fake = await startFakeKube({ startDelayMs: 50 });
  });
  after(() => fake?.stop());
  const replica = (deps: Deps = {}) =>
    build({ fake: fake!, catalog, env: { FLOWKUBE_MAX_ACTIVE: String(MAX_ACTIVE) }, deps });
  return {
    get fake(): FakeKube {
      return fake!;
    },
    replica,
    async replicas(deps: Deps = {}): Promise<[Built, Built]> {
      return [await replica(deps), await replica(deps)];
    },
    /** Pending or Running and not being deleted, as the fake stores them. */
    activePods: () =>
      flowkubePods(fake!).filter(
        (p) => !p.metadata?.deletionTimestamp && (p.status?.phase === 'Pending' || p.status?.phase === 'Running')
      ),
  };
}
