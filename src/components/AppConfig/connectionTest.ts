import { type ApiError, checkEndpoint, listTemplates } from '../../api/client';
import { apiUrls } from '../../api/urls';
import { explainProxyError } from '../../services/proxyErrors';

export type ConnectionStep = 'healthz' | 'readyz' | 'templates';

export type ConnectionResult = { ok: true; templates: number } | { ok: false; step: ConnectionStep; message: string };

/**
 * Calls the proxy through Grafana's routes the way the pages will, one step at a time, so the first failure
 * says which layer is wrong: Grafana → proxy (healthz), proxy → Kubernetes (readyz), the read token (templates).
 */
export async function runConnectionTest(): Promise<ConnectionResult> {
  const steps: Array<[ConnectionStep, () => Promise<number | void>]> = [
    ['healthz', () => checkEndpoint(apiUrls.healthz())],
    ['readyz', () => checkEndpoint(apiUrls.readyz())],
    ['templates', async () => (await listTemplates()).length],
  ];
  let templates = 0;
  for (const [step, call] of steps) {
    try {
      templates = (await call()) ?? templates;
    } catch (err) {
      // Only the client's calls run here, and they reject with nothing but an ApiError.
      return { ok: false, step, message: `${step}: ${explainProxyError(err as ApiError)}` };
    }
  }
  return { ok: true, templates };
}
