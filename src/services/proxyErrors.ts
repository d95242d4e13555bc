import type { ApiError } from '../../api/client';

export interface ProxyProblem {
  title: string;
  /** What failed and what to do next. */
  detail: string;
  /** True when the fix is on the configuration page (URL, tokens) or in the deployment, not in the request. */
  setup: boolean;
}

/** Turns an error from the plugin routes into words: which hop failed (browser → Grafana → proxy → Kubernetes). */
export function describeProxyError(error: ApiError): ProxyProblem {
  const fromGrafana = error.code === 'grafana';
  // 0 from our client, -1 from Grafana's backendSrv: no HTTP answer at all.
  if (error.status <= 0) {
    return {
      title: 'Grafana could not be reached',
      detail: `The browser got no answer from Grafana (${error.message}). Check your network connection and reload.`,
      setup: true,
    };
  }
  if (fromGrafana && [502, 503, 504].includes(error.status)) {
    return {
      title: 'The FlowKube proxy is unreachable',
      detail: `Grafana could not connect to the proxy (HTTP ${error.status}: ${error.message}). Check the proxy URL on the configuration page and that the flowkube-proxy service is running.`,
      setup: true,
    };
  }
  if (fromGrafana && error.status === 403) {
    return {
      title: 'Grafana refused the request',
      detail: `Your role does not allow this call through the plugin routes (${error.message}).`,
      setup: false,
    };
  }
  if (fromGrafana && error.status === 404) {
    return {
      title: 'The FlowKube app is not set up',
      detail: `Grafana has no route to the proxy (${error.message}). Enable the app and save its configuration.`,
      setup: true,
    };
  }
  if (fromGrafana && error.status >= 500) {
    return {
      title: 'The FlowKube app is misconfigured',
      detail: `Grafana could not forward the request (${error.message}). Check the proxy URL on the configuration page.`,
      setup: true,
    };
  }
  if (error.status === 401) {
    return {
      title: 'The proxy rejected Grafana’s token',
      detail: `${error.message}. Set the read and launch tokens on the configuration page to the values the proxy was started with.`,
      setup: true,
    };
  }
  if (error.status === 403) {
    return {
      title: 'The proxy refused the token for this action',
      detail: `${error.message}. The launch token must be the proxy's launch token, not its read token.`,
      setup: true,
    };
  }
  if (error.code === 'not_ready') {
    return {
      title: 'The proxy is starting',
      detail: `${error.message}. It answers once it has loaded the current jobs from Kubernetes; this page retries on its own.`,
      setup: false,
    };
  }
  if (error.code === 'kube_unavailable' || error.code === 'kube_forbidden') {
    return {
      title: 'The proxy cannot work with Kubernetes',
      detail: `${error.message}. Check the proxy's logs and its ServiceAccount permissions in the flowkube-jobs namespace.`,
      setup: false,
    };
  }
  return { title: 'The request failed', detail: `HTTP ${error.status}: ${error.message}`, setup: false };
}
