import { ApiError, checkEndpoint, listTemplates } from '../../api/client';
import { apiUrls } from '../../api/urls';

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
      const apiError = err instanceof ApiError ? err : new ApiError(0, 'network', String(err));
      return { ok: false, step, message: `${step}: ${explainFailure(step, apiError)}` };
    }
  }
  return { ok: true, templates };
}

/** What a failed step means and what to do about it. Pure, so every case is tested. */
export function explainFailure(step: ConnectionStep, err: ApiError): string {
  const fromGrafana = err.code === 'grafana';
  if (err.status === 0) {
    return `the browser got no answer from Grafana (${err.message}) — check your network and try again`;
  }
  if (err.status === 401) {
    return fromGrafana
      ? 'Grafana refused the request (401) — sign in to Grafana again'
      : 'the read token is wrong — set it to the proxy’s FLOWKUBE_READ_TOKEN (Secret flowkube-proxy-tokens, key read-token) and save';
  }
  if (err.status === 403) {
    return fromGrafana
      ? `Grafana refused the route (403: ${err.message}) — your role cannot use it, or the app is not enabled`
      : `the proxy refused the request (403: ${err.message}) — check the token and the proxy’s logs`;
  }
  if (fromGrafana && (err.status === 404 || err.status === 502)) {
    return `Grafana cannot reach the proxy URL (HTTP ${err.status}) — check the saved proxy URL points at the FlowKube proxy (e.g. http://flowkube-proxy.flowkube-admin.svc:8080) and that Grafana’s network can reach it`;
  }
  if (fromGrafana && err.status === 504) {
    return 'Grafana timed out waiting for the proxy — check the proxy is running and its URL is right';
  }
  if (step === 'readyz' && err.status === 503) {
    return 'the proxy is up but its Pod cache has not synced with Kubernetes — check its RBAC (list/watch pods in flowkube-jobs) and its logs';
  }
  if (err.status >= 500) {
    return `the proxy answered ${err.status} (${err.message}) — check its logs`;
  }
  return `unexpected answer ${err.status} (${err.message})`;
}
