import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { type FakeKube, type FakeKubeOptions, startFakeKube } from '../../tests/fake-kube/index.ts';
import { buildApp, type AppDeps } from '../src/app.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import type { Catalog } from '../src/catalog/schema.ts';
import { DEFAULT_CATALOG, loadConfig, type Config } from '../src/config.ts';
import { loggerOptions } from '../src/logger.ts';

export const READ_TOKEN = 'test-read-token-0123456789';
export const LAUNCH_TOKEN = 'test-launch-token-0123456789';
export const read = { authorization: `Bearer ${READ_TOKEN}` };
export const launch = { authorization: `Bearer ${LAUNCH_TOKEN}` };

/**
 * The app's real logger (redaction included) writing into memory: pass `logger` in `deps`, then read `text` (all
 * output as written) or `lines` (each JSON line parsed).
 */
export function captureLogs(level: Parameters<typeof loggerOptions>[0]) {
  const captured = { text: '', lines: [] as Array<Record<string, unknown>> };
  const sink = new Writable({
    write(chunk, _enc, done) {
      captured.text += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        captured.lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return Object.assign(captured, { logger: loggerOptions(level, sink) });
}

export interface BuildOptions {
  env?: Record<string, string>;
  fake?: FakeKube;
  fakeOptions?: FakeKubeOptions;
  catalog?: Catalog;
  deps?: Partial<AppDeps>;
  /** Wait until /readyz is 200 (default true). */
  ready?: boolean;
}

export interface Built {
  app: FastifyInstance;
  fake: FakeKube;
  config: Config;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ FLOWKUBE_READ_TOKEN: READ_TOKEN, FLOWKUBE_LAUNCH_TOKEN: LAUNCH_TOKEN, ...env });
}

/** Polls `check` until it returns a truthy value; fails with `what` after `ms`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, ms = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) {
      return value as NonNullable<T>;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(25);
  }
}

/** The app against a fake Kubernetes API (its own, unless one is passed in to share), ready unless told not to wait. */
export async function build(options: BuildOptions = {}): Promise<Built> {
  const fake = options.fake ?? (await startFakeKube({ startDelayMs: 50, ...options.fakeOptions }));
  const config = testConfig(options.env);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(fake.kubeConfigOptions());
  const app = await buildApp({
    config,
    kubeConfig,
    catalog: options.catalog ?? loadCatalog(DEFAULT_CATALOG),
    watchBackoff: { initialMs: 50, maxMs: 500 },
    createRetry: { attempts: 4, baseDelayMs: 20, maxRetryAfterMs: 100 },
    // the audit stream goes to stdout, where node --test reads its report: tests that want it pass a sink
    auditSink: () => {},
    ...options.deps,
  });
  await app.ready();
  if (options.ready !== false) {
    await waitFor('the app to be ready', async () => (await app.inject({ url: '/readyz' })).statusCode === 200);
    // the templates' dry runs are creates too: done before a test scripts faults for its own creates
    await app.clusterCheck.idle();
  }
  return {
    app,
    fake,
    config,
    async close() {
      await app.close();
      if (!options.fake) {
        await fake.stop();
      }
    },
  };
}

export async function launchJob(
  app: FastifyInstance,
  template: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {}
) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, ...headers },
    payload: { template, params },
  });
}

/** FlowKube's Pods as the fake stores them (not deleted ones). */
export function flowkubePods(fake: FakeKube) {
  return fake.pods().filter((p) => p.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'flowkube');
}

/**
 * Deletes FlowKube's Pods and launch-slot Leases straight in the fake (as a clean namespace would be), for files
 * that share one fake across tests and close each app first: no proxy is left to see the Pods end and free slots.
 */
export async function clearJobs(fake: FakeKube): Promise<void> {
  const auth = { authorization: `Bearer ${fake.token}` };
  for (const p of flowkubePods(fake)) {
    const url = `${fake.url}/api/v1/namespaces/${p.metadata!.namespace}/pods/${p.metadata!.name}`;
    if (p.metadata?.finalizers?.length) {
      // what an admin does with a finalizer no proxy will remove (a job cancelled before it ran)
      const body = JSON.stringify({ metadata: { finalizers: null } });
      const headers = { ...auth, 'content-type': 'application/merge-patch+json' };
      await fetch(url, { method: 'PATCH', headers, body });
    }
    await fetch(`${url}?gracePeriodSeconds=0`, { method: 'DELETE', headers: auth });
  }
  for (const l of fake.leases()) {
    const url = `${fake.url}/apis/coordination.k8s.io/v1/namespaces/${l.metadata.namespace}/leases/${l.metadata.name}`;
    await fetch(url, { method: 'DELETE', headers: auth });
  }
  await waitFor('no FlowKube Pods left', () => flowkubePods(fake).length === 0);
}
