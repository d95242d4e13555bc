import { writeFileSync } from 'node:fs';
import type { FakeKube } from '../../../tests/fake-kube/index.ts';
import { parseCatalog } from '../../src/catalog/load.ts';
import type { CatalogTemplate } from '../../src/catalog/schema.ts';

export const BENCH_TEMPLATE = 'bench-noop';

/**
 * One template whose image is not the worker image, so the fake API starts no python process per launch and the
 * benchmark measures the proxy, not the workers. Limits are far above what a run launches.
 */
export const BENCH_CATALOG = `templates:
  - id: ${BENCH_TEMPLATE}
    title: Benchmark no-op
    description: Never runs; its image does not exist.
    image: bench/noop:1
    command: [python, /app/app_basic.py]
    env:
      - { name: MESSAGE, fromParam: message }
    params:
      type: object
      additionalProperties: false
      properties:
        message: { type: string, maxLength: 256, default: hello }
    resources:
      requests: { cpu: 10m, memory: 16Mi }
      limits: { cpu: 100m, memory: 32Mi }
    timeoutSeconds: 3600
    maxConcurrent: 1000000
`;

/** Writes the catalog and returns its template, parsed by the proxy's own loader so both sides agree on it. */
export function writeBenchCatalog(path: string): CatalogTemplate {
  writeFileSync(path, BENCH_CATALOG);
  return parseCatalog(BENCH_CATALOG, path).byId.get(BENCH_TEMPLATE)!;
}

/** The mix of phases both seeders give their Pods: mostly finished, as a cluster that has run for a while. */
export const SEED_PHASES = [
  { phase: 'Succeeded', share: 0.8 },
  { phase: 'Failed', share: 0.15 },
  { phase: 'Running', share: 0.05 },
] as const;

/**
 * n FlowKube Pods as the proxy labels them, a mix of phases, created over the last half hour in batches so that
 * "newest first" has real work to do. Returns how many were stored.
 */
export function seedFlowKubePods(fake: FakeKube, n: number, namespace: string): number {
  const batches = Math.max(1, Math.min(100, n));
  const now = Date.now();
  let stored = 0;
  for (let b = 0; b < batches; b++) {
    const size = Math.floor(n / batches) + (b < n % batches ? 1 : 0);
    const createdAt = new Date(now - ((batches - b) * 30 * 60_000) / batches);
    let left = size;
    for (const [i, { phase, share }] of SEED_PHASES.entries()) {
      const count = i === SEED_PHASES.length - 1 ? left : Math.min(left, Math.round(size * share));
      left -= count;
      if (count === 0) {
        continue;
      }
      const template = ['basic', 'cpu-load', 'log-gen'][b % 3]!;
      stored += fake.seedPods(count, {
        namespace,
        phase,
        createdAt,
        finishedAt: phase === 'Running' ? undefined : new Date(createdAt.getTime() + 5000),
        labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': template, job_type: template },
        annotations: { 'flowkube.io/launched-by': 'bench', 'flowkube.io/params': '{"message":"seeded"}' },
      }).length;
    }
  }
  return stored;
}
