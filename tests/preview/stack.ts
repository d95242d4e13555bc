// Everything behind the preview's plugin proxy, for real: the FlowKube proxy (buildApp, listening on 127.0.0.1)
// against the fake Kubernetes API, which runs the Python workers as local processes.
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from '../fake-kube/index.ts';
import { buildApp } from '../../pkg-backend-proxy/src/app.ts';
import { loadCatalog } from '../../pkg-backend-proxy/src/catalog/load.ts';
import { DEFAULT_CATALOG, loadConfig } from '../../pkg-backend-proxy/src/config.ts';

export interface Stack {
  proxyUrl: string;
  readToken: string;
  launchToken: string;
  fake: FakeKube;
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
  try {
    const config = loadConfig({ FLOWKUBE_READ_TOKEN: readToken, FLOWKUBE_LAUNCH_TOKEN: launchToken });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(fake.kubeConfigOptions());
    // no Loki here reads the audit stream (History is tested in jest), and its lines on stdout would bury the test log
    const app = await buildApp({
      config,
      kubeConfig,
      catalog: loadCatalog(DEFAULT_CATALOG),
      auditSink: () => undefined,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return {
      proxyUrl: `http://127.0.0.1:${port}`,
      readToken,
      launchToken,
      fake,
      async stop() {
        await app.close();
        await fake.stop();
      },
    };
  } catch (err) {
    await fake.stop();
    throw err;
  }
}
