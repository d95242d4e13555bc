import { DEFAULT_NAMESPACE, GLOBAL_LIMIT, limitedTemplate } from '@flowkube/backend-proxy/contract';
import type { ApiError } from '../api/client';
import { activeJobsUrl } from '../utils/utils.routing';

// The one place that turns a failed call into words for a person: the banners, the launch forms, the toasts and
// the configuration page's connection test all read their text from here, so a status is explained one way.

export interface ProxyProblem {
  title: string;
  /** What failed and what to do next. */
  detail: string;
  /** True when the fix is on the configuration page (URL, tokens) or in the deployment, not in the request. */
  setup: boolean;
  /** Where to see what caused it (the jobs that fill a launch limit). */
  link?: { text: string; href: string };
}

/**
 * Reads need the read token; launches and cancels the launch token, and the Editor role. `settings`: saving the
 * app's own settings, a call to Grafana itself, never through the proxy.
 */
export type ProxyAction = 'read' | 'launch' | 'settings';

const TOKENS_HINT =
  'the values the proxy was started with (FLOWKUBE_READ_TOKEN and FLOWKUBE_LAUNCH_TOKEN, Secret flowkube-proxy-tokens)';

/** Which hop failed (browser → Grafana → proxy → Kubernetes) and what to do about it. */
export function describeProxyError(error: ApiError, action: ProxyAction = 'read'): ProxyProblem {
  if (error.code === 'grafana' && error.status > 0) {
    return fromGrafana(error, action);
  }
  // 0 from our client, -1 from Grafana's backendSrv: no HTTP answer at all.
  if (error.status <= 0) {
    const retry = action === 'launch' ? ' Launch again: a retry will not make a second job.' : '';
    return {
      title: 'Grafana could not be reached',
      detail: `The browser got no answer from Grafana (${error.message}). Check your network connection and try again.${retry}`,
      setup: true,
    };
  }
  return fromProxy(error, action);
}

/** The same explanation on one line, for a toast or a list of results. */
export function explainProxyError(error: ApiError, action: ProxyAction = 'read'): string {
  const { title, detail } = describeProxyError(error, action);
  return `${title}: ${detail}`;
}

function fromGrafana(error: ApiError, action: ProxyAction): ProxyProblem {
  const answer = `HTTP ${error.status}: ${error.message}`;
  if (error.status === 401) {
    return { title: 'Your Grafana session has ended', detail: `${answer}. Sign in to Grafana again.`, setup: false };
  }
  if (action === 'settings') {
    return settingsProblem(error.status, answer);
  }
  if (error.status === 403) {
    const role = action === 'launch' ? ' Launching and cancelling need the Editor role.' : '';
    return {
      title: 'Grafana refused the request',
      detail: `Your role does not allow this call through the app's routes (${answer}).${role}`,
      setup: false,
    };
  }
  if (error.status === 404) {
    return {
      title: 'The FlowKube app is not set up',
      detail: `Grafana has no route to the proxy (${answer}). Enable the app and save its configuration.`,
      setup: true,
    };
  }
  if ([502, 503, 504].includes(error.status)) {
    const what = error.status === 504 ? 'timed out waiting for the proxy' : 'could not connect to the proxy';
    return {
      title: 'The FlowKube proxy is unreachable',
      detail: `Grafana ${what} (${answer}). Check the proxy URL on the configuration page (e.g. http://flowkube-proxy.flowkube-admin.svc:8080) and that the flowkube-proxy service is running.`,
      setup: true,
    };
  }
  if (error.status >= 500) {
    return {
      title: 'The FlowKube app is misconfigured',
      detail: `Grafana could not forward the request (${answer}). Check the proxy URL on the configuration page.`,
      setup: true,
    };
  }
  return { title: 'Grafana refused the request', detail: answer, setup: false };
}

function fromProxy(error: ApiError, action: ProxyAction): ProxyProblem {
  const said = sentence(error.message);
  switch (error.code) {
    case 'unauthorized':
      return {
        title: 'The proxy got no token from Grafana',
        detail: `${said} Set the read and launch tokens on the configuration page to ${TOKENS_HINT}, and save.`,
        setup: true,
      };
    case 'token_rejected': {
      const which = action === 'launch' ? 'launch' : 'read';
      return {
        title: 'The proxy rejected Grafana’s token',
        detail: `The ${which} token was refused — set it on the app's configuration page to ${TOKENS_HINT}.`,
        setup: true,
      };
    }
    case 'forbidden':
      return {
        title: 'The proxy refused the token for this action',
        detail: `${said} The launch token on the configuration page must be the proxy's launch token, not its read token.`,
        setup: true,
      };
    case 'bad_request':
      return {
        title: action === 'launch' ? 'The proxy rejected the parameters' : 'The proxy rejected the request',
        detail: error.message,
        setup: false,
      };
    case 'limit_exceeded': {
      const when =
        error.retryAfterSeconds !== undefined
          ? `Try again in ${formatSeconds(error.retryAfterSeconds)}.`
          : 'Try again later.';
      return { ...limitProblem(error.limit), detail: `${said} ${when}`, setup: false };
    }
    case 'not_ready':
      return {
        title: 'The proxy is starting',
        detail: `${said} It answers once its Pod cache has synced with Kubernetes, and this page retries on its own; if that takes more than a minute, check the proxy's RBAC (list/watch pods in ${DEFAULT_NAMESPACE}) and its logs.`,
        setup: false,
      };
    case 'conflict':
      // the job or template is in a state that does not allow it yet (a Pending job's log, a job still running)
      return { title: 'Not possible right now', detail: said, setup: false };
    case 'outcome_unknown':
      return {
        title: 'The launch may or may not have happened',
        detail: `${said} Launch again without changing the form: the retry carries the same Idempotency-Key, so it makes at most one job.`,
        setup: false,
      };
    case 'kube_unavailable':
    case 'kube_forbidden':
      return {
        title: 'The proxy cannot work with Kubernetes',
        detail: `${said} Check the proxy's logs and its ServiceAccount permissions in the ${DEFAULT_NAMESPACE} namespace.`,
        setup: false,
      };
  }
  if (error.status >= 500) {
    return { title: 'The proxy failed', detail: `HTTP ${error.status}: ${said} Check the proxy's logs.`, setup: false };
  }
  return { title: 'The request failed', detail: `HTTP ${error.status}: ${error.message}`, setup: false };
}

/** Grafana's own settings endpoint (api/plugins/:id/settings): its answers are about Grafana, not the proxy. */
function settingsProblem(status: number, answer: string): ProxyProblem {
  if (status === 403) {
    return {
      title: 'Grafana refused to save the settings',
      detail: `Saving an app's settings needs the Admin role in this organization (${answer}).`,
      setup: false,
    };
  }
  if (status === 404) {
    return {
      title: 'Grafana does not know the FlowKube app',
      detail: `Grafana answered ${answer}: the app is not installed in this Grafana. Install it and reload this page.`,
      setup: true,
    };
  }
  return {
    title: 'Grafana could not save the settings',
    detail: `Grafana answered ${answer}. Try again; if it keeps failing, Grafana's server log says why.`,
    setup: false,
  };
}

/** Which limit refused a launch, and a link to the jobs that fill it: cancelling one of them makes room. */
function limitProblem(limit: string | undefined): Pick<ProxyProblem, 'title' | 'link'> {
  const template = limitedTemplate(limit);
  if (template !== undefined) {
    return {
      title: `Launch refused: template "${template}" is at its limit of jobs at once`,
      link: { text: `See the running jobs of ${template}`, href: activeJobsUrl(template) },
    };
  }
  if (limit === GLOBAL_LIMIT) {
    return {
      title: 'Launch refused: FlowKube is at its limit of active jobs',
      link: { text: 'See the running jobs', href: activeJobsUrl() },
    };
  }
  return { title: 'Launch refused by a limit' };
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
