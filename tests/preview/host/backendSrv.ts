// A BackendSrv over window.fetch that behaves like Grafana's where the plugin can tell: relative URLs are resolved
// against Grafana's root (not the page), `params` become the query string, JSON bodies are encoded, a non-2xx
// answer errors the Observable with a FetchError `{status, statusText, data, config}`, unsubscribing aborts, and
// the success/error toasts follow the same show*Alert rules.
import { AppEvents } from '@grafana/data';
import {
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

function buildInit(options: BackendSrvRequest, signal: AbortSignal): RequestInit {
  const headers = new Headers({ Accept: 'application/json, text/plain, */*', 'X-Grafana-Org-Id': '1' });
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
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      options.abortSignal?.addEventListener('abort', () => controller.abort());
      const method = (options.method ?? 'GET').toUpperCase();
      (async () => {
        const response = await fetch(buildUrl(options), buildInit(options, controller.signal));
        const body = await readBody(response, options.responseType);
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
