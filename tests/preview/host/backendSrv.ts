// A BackendSrv over window.fetch that behaves like Grafana's (grafana/grafana public/app/core/services/backend_srv.ts)
// where the plugin can tell: relative URLs are resolved against Grafana's root (not the page), `params` become the
// query string, JSON bodies are encoded, local requests carry X-Grafana-Org-Id, a non-2xx answer errors the
// Observable with a FetchError `{status, statusText, data, config}`, unsubscribing aborts, the success/error toasts
// follow the same show*Alert rules, and a 401 from Grafana's own origin is taken for an expired session: the session
// is renewed (or the login pinged) and the request sent once more (handleStreamError).
import { AppEvents } from '@grafana/data';
import {
  config,
  getAppEvents,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
} from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

function buildUrl(options: BackendSrvRequest): string {
  const base = /^https?:\/\//.test(options.url) || options.url.startsWith('/') ? options.url : `/${options.url}`;
  const url = new URL(base, window.location.origin);
  for (const [key, value] of Object.entries(options.params ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) {
        url.searchParams.append(key, String(item));
      }
    }
  }
  return url.toString();
}

// Grafana's isLocalUrl (public/app/core/utils/query.ts): anything not absolute goes to Grafana itself.
const isLocalUrl = (url: string) => !/^https?:\/\//.test(url) || url.startsWith(window.location.origin);

function buildInit(options: BackendSrvRequest, signal: AbortSignal): RequestInit {
  const headers = new Headers({ Accept: 'application/json, text/plain, */*' });
  if (isLocalUrl(options.url) && config.bootData.user.orgId) {
    headers.set('X-Grafana-Org-Id', String(config.bootData.user.orgId));
  }
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    headers.set(key, String(value));
  }
  let body: BodyInit | undefined;
  if (options.data !== undefined) {
    const raw = options.data instanceof FormData || typeof options.data === 'string';
    body = raw ? options.data : JSON.stringify(options.data);
    if (!raw && !headers.has('Content-Type')) {
      headers.set('Content-Type', 'application/json');
    }
  }
  return { method: options.method ?? 'GET', headers, body, signal, credentials: 'same-origin' };
}

// Grafana's parseResponseBody: the given responseType, else JSON when the text parses, else the text itself.
async function readBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  if (responseType === 'text') {
    return response.text();
  }
  if (responseType === 'blob') {
    return response.blob();
  }
  if (responseType === 'arraybuffer') {
    return response.arrayBuffer();
  }
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toFetchResponse<T>(response: Response, data: T, config: BackendSrvRequest): FetchResponse<T> {
  const { status, statusText, ok, headers, redirected, type, url } = response;
  return { data, status, statusText, ok, headers, redirected, type, url, config };
}

// Grafana's processRequestError: `data` is always an object with a `message` when there is anything to say.
function toFetchError(response: Response, body: unknown, config: BackendSrvRequest): FetchError {
  let data = (body ?? { message: 'Unexpected error' }) as { message?: string; error?: unknown; response?: unknown };
  if (typeof body === 'string') {
    data = { message: body, error: response.statusText, response: body };
  }
  if (!data.message && typeof data.error === 'string') {
    data.message = data.error;
  }
  return { status: response.status, statusText: response.statusText, data, config };
}

function alert(kind: 'success' | 'error', title: string) {
  const event = kind === 'success' ? AppEvents.alertSuccess : AppEvents.alertError;
  getAppEvents().publish({ type: event.name, payload: [title] });
}

export class PreviewBackendSrv {
  /**
   * Grafana's answer to a 401 on its own origin, once per request (`retry` 0) and only for a signed-in user: unless
   * the token was revoked, rotate the session (`clientTokenRotation`, on by default) or ping the login, and retry
   * when that succeeds. A 401 from the renewal logs the user out.
   */
  private async sessionRenewed(options: BackendSrvRequest, body: unknown): Promise<boolean> {
    const revoked = (body as { error?: { id?: string } } | undefined)?.error?.id === 'ERR_TOKEN_REVOKED';
    if (!isLocalUrl(options.url) || (options.retry ?? 0) !== 0 || !config.bootData.user.isSignedIn || revoked) {
      return false;
    }
    const toggles: Partial<Record<string, boolean>> = { ...config.featureToggles };
    const renewal = toggles.clientTokenRotation
      ? { url: '/api/user/auth-tokens/rotate', method: 'POST' }
      : { url: '/api/login/ping', method: 'GET' };
    const answer = await fetch(buildUrl({ ...renewal, retry: 1 }), {
      method: renewal.method,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (answer.status === 401) {
      // Grafana's contextSrv.setLoggedOut(): the page then asks for a new sign-in.
      Object.assign(window, { __previewLoggedOut: true });
    }
    return answer.ok;
  }

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      options.abortSignal?.addEventListener('abort', () => controller.abort());
      const method = (options.method ?? 'GET').toUpperCase();
      (async () => {
        let response = await fetch(buildUrl(options), buildInit(options, controller.signal));
        let body = await readBody(response, options.responseType);
        if (response.status === 401 && (await this.sessionRenewed(options, body))) {
          response = await fetch(buildUrl(options), buildInit(options, controller.signal));
          body = await readBody(response, options.responseType);
        }
        if (!response.ok) {
          const error = toFetchError(response, body, options);
          const message = (error.data as { message?: string }).message;
          if (
            message &&
            (options.showErrorAlert === true || (options.showErrorAlert === undefined && method !== 'GET'))
          ) {
            alert('error', message);
          }
          subscriber.error(error);
          return;
        }
        const message = (body as { message?: unknown } | undefined)?.message;
        if (options.showSuccessAlert !== false && method !== 'GET' && typeof message === 'string') {
          alert('success', message);
        }
        subscriber.next(toFetchResponse(response, body as T, options));
        subscriber.complete();
      })().catch((err: unknown) => {
        if (!controller.signal.aborted) {
          subscriber.error({ status: -1, statusText: String(err), data: { message: String(err) }, config: options });
        }
      });
      return () => controller.abort();
    });
  }

  /** Grafana's streaming variant: one emission per received chunk of the body. */
  chunked(options: BackendSrvRequest): Observable<FetchResponse<Uint8Array | undefined>> {
    return new Observable((subscriber) => {
      const controller = new AbortController();
      (async () => {
        const response = await fetch(buildUrl(options), buildInit(options, controller.signal));
        if (!response.ok || !response.body) {
          subscriber.error(toFetchError(response, await readBody(response, 'json'), options));
          return;
        }
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            break;
          }
          subscriber.next(toFetchResponse(response, value, options));
        }
        subscriber.complete();
      })().catch((err: unknown) => {
        if (!controller.signal.aborted) {
          subscriber.error({ status: -1, statusText: String(err), data: { message: String(err) }, config: options });
        }
      });
      return () => controller.abort();
    });
  }

  async request<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }

  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  get<T>(url: string, params?: BackendSrvRequest['params'], _requestId?: string, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, params, method: 'GET' });
  }

  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'DELETE' });
  }

  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'POST' });
  }

  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'PATCH' });
  }

  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'PUT' });
  }
}

export function createBackendSrv(): BackendSrv {
  return new PreviewBackendSrv() as unknown as BackendSrv;
}
