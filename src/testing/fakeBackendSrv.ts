import { defer } from 'rxjs';
import { type BackendSrv, type BackendSrvRequest, type FetchResponse, setBackendSrv } from '@grafana/runtime';
import type { ErrorCode } from '../api/types';

/** What the fake answers: a status and a JSON body, as Grafana's backendSrv would surface them. */
export interface FakeAnswer {
  status: number;
  data: unknown;
}

export type FakeHandler = (request: BackendSrvRequest) => FakeAnswer | Promise<FakeAnswer>;

/**
 * Installs a backendSrv whose `fetch` answers like Grafana in front of the proxy: a 2xx resolves to a
 * FetchResponse, anything else errors with Grafana's FetchError shape `{status, statusText, data, config}`.
 * A handler that throws stands for a network failure (the browser never got an HTTP answer).
 */
export function installFakeBackendSrv(handler: FakeHandler): { requests: BackendSrvRequest[] } {
  const requests: BackendSrvRequest[] = [];
  const fake: Partial<BackendSrv> = {
    fetch<T>(request: BackendSrvRequest) {
      requests.push(request);
      return defer(async () => {
        const answer = await handler(request);
        if (answer.status >= 400) {
          throw { status: answer.status, statusText: `HTTP ${answer.status}`, data: answer.data, config: request };
        }
        const response: Partial<FetchResponse<T>> = {
          data: answer.data as T,
          status: answer.status,
          statusText: 'OK',
          ok: true,
          url: request.url,
          config: request,
        };
        return response as FetchResponse<T>;
      });
    },
  };
  setBackendSrv(fake as BackendSrv);
  return { requests };
}

/** The proxy's error body (the contract's ErrorBody), with one of its codes. */
export function proxyError(
  status: number,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>
): FakeAnswer {
  return { status, data: { error: { code, message, ...(details ? { details } : {}) } } };
}

/** A promise with its resolve exposed, to hold an answer until the test lets it go. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
