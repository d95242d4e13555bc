import { Observable } from 'rxjs';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import type { ErrorBody, FieldError, Job } from '../api/types';

export interface Reply {
  status: number;
  data: unknown;
}
type Handler = (request: BackendSrvRequest) => Reply | Promise<Reply>;

/**
 * Stands in for Grafana's backendSrv in unit tests and answers like the proxy behind the plugin routes:
 * 2xx with the JSON body, errors as backendSrv's FetchError `{status, data}` with the proxy's error body.
 */
export class FakeProxy {
  readonly requests: BackendSrvRequest[] = [];
  private readonly routes: Array<{ method: string; path: string; handler: Handler }> = [];

  /** `path` is matched against the URL after `api/plugin-proxy/flowkube-jobs-app/`; the latest route wins. */
  on(method: string, path: string, handler: Handler | Reply): this {
    this.routes.unshift({ method, path, handler: typeof handler === 'function' ? handler : () => handler });
    return this;
  }

  install(): this {
    const fetch = (request: BackendSrvRequest) =>
      new Observable((subscriber) => {
        this.requests.push(request);
        const method = request.method ?? 'GET';
        const path = request.url.replace(/^\/?api\/plugin-proxy\/flowkube-jobs-app\//, '');
        const route = this.routes.find((r) => r.method === method && r.path === path);
        const answer = route ? route.handler(request) : { status: 404, data: { message: 'Not found' } };
        Promise.resolve(answer).then(
          (reply) => {
            if (reply.status >= 400) {
              subscriber.error({ status: reply.status, statusText: '', data: reply.data, config: request });
            } else {
              subscriber.next({ status: reply.status, data: reply.data, ok: true, config: request });
              subscriber.complete();
            }
          },
          (err) => subscriber.error(err)
        );
      });
    setBackendSrv({ fetch } as unknown as BackendSrv);
    return this;
  }

  calls(method: string, path: string): BackendSrvRequest[] {
    return this.requests.filter((r) => (r.method ?? 'GET') === method && r.url.endsWith(path));
  }
}

export const proxyError = (
  status: number,
  code: ErrorBody['error']['code'],
  message: string,
  fields: FieldError[] = []
): Reply => ({
  status,
  data: { error: { code, message, details: fields.length ? { fields } : undefined } },
});

export function makeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'cpu-load-abcde',
    template: 'cpu-load',
    params: { durationSeconds: 30 },
    phase: 'Running',
    launchedBy: 'alice',
    createdAt: '2026-11-26T10:00:00Z',
    startedAt: '2026-11-26T10:00:02Z',
    ...overrides,
  };
}

/** A promise the test settles by hand, for long-polls that should stay open until the test says so. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
