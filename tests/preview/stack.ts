// Everything behind the preview's plugin proxy, for real: the FlowKube proxy (buildApp, listening on 127.0.0.1)
// against the fake Kubernetes API, which runs the Python workers as local processes, and the Loki that the
// proxy's audit events (and, once asked, the workers' logs) are shipped to (loki.ts, lokiShipper.ts).
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from '../fake-kube/index.ts';
import { buildApp } from '../../pkg-backend-proxy/src/app.ts';
import { loadCatalog } from '../../pkg-backend-proxy/src/catalog/load.ts';
import { DEFAULT_CATALOG, loadConfig } from '../../pkg-backend-proxy/src/config.ts';
import { LokiStore } from './loki.ts';
import { shipAuditLine, shipWorkerLogs } from './lokiShipper.ts';

export interface Stack {
  proxyUrl: string;
  readToken: string;
  launchToken: string;
  fake: FakeKube;
  /** Every audit line the proxy wrote, as Loki holds them; the workers' logs too once `shipWorkerLogs()` ran. */
  loki: LokiStore;
  /**
   * Starts shipping the worker Pods' logs to `loki` (the Fluent Bit stand-in; each Pod's log from its first line),
   * for specs that read job logs from Loki. Off by default: it follows every started Pod's log.
   */
  shipWorkerLogs(): void;
  stop(): Promise<void>;
}

/**
 * `startDelayMs` is how long a worker Pod stays Pending, as a real cluster takes to schedule and pull; it must be
 * long enough for a person (and the test) to see the Pending phase.
 */
export async function startStack(options: { startDelayMs: number }): Promise<Stack> {
  const fake = await startFakeKube({ startDelayMs: options.startDelayMs });
  const readToken = 'preview-read-token-0123456789';
  const launchToken = 'preview-launch-token-0123456789';
  const loki = new LokiStore();
  let stopShipping: (() => void) | undefined;
  try {
    const config = loadConfig({ FLOWKUBE_READ_TOKEN: readToken, FLOWKUBE_LAUNCH_TOKEN: launchToken });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(fake.kubeConfigOptions());
    // the audit lines go to the stack's Loki, not stdout, where they would bury the test log
    const app = await buildApp({
      config,
      kubeConfig,
      catalog: loadCatalog(DEFAULT_CATALOG),
      auditSink: (line) => shipAuditLine(loki, line),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return {
      proxyUrl: `http://127.0.0.1:${port}`,
      readToken,
      launchToken,
      fake,
      loki,
      shipWorkerLogs() {
        stopShipping ??= shipWorkerLogs(fake, loki, config.namespace);
      },
      async stop() {
        stopShipping?.();
        await app.close();
        await fake.stop();
      },
    };
  } catch (err) {
    await fake.stop();
    throw err;
  }
}
