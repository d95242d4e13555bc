import type { BackendSrvRequest } from '@grafana/runtime';
import { act, waitFor } from '@testing-library/react';
import { SINCE_NOW } from '@flowkube/backend-proxy/contract';
import type { Job } from '../api/types';
import { PROXY_BASE } from '../api/urls';
import { deferred, type FakeAnswer, type FakeHandler, installFakeBackendSrv } from './fakeBackendSrv';
import { serveJobList } from './fakeJobList';

/**
 * Routes on top of the fake backendSrv: answers per method and path like the proxy behind the plugin routes,
 * and Grafana's own 404 for a path no route serves.
 */
export class FakeProxy {
  requests: BackendSrvRequest[] = [];
  private readonly routes: Array<{ method: string; path: string; handler: FakeHandler }> = [];

  /** `path` is the URL after `${PROXY_BASE}/`; a later route for the same path wins. */
  on(method: string, path: string, handler: FakeHandler | FakeAnswer): this {
    this.routes.unshift({ method, path, handler: typeof handler === 'function' ? handler : () => handler });
    return this;
  }

  install(): this {
    this.requests = installFakeBackendSrv((request) => {
      const method = request.method ?? 'GET';
      const url = request.url.replace(/^\//, '');
      const path = url.startsWith(`${PROXY_BASE}/`) ? url.slice(PROXY_BASE.length + 1) : url;
      const route = this.routes.find((r) => r.method === method && r.path === path);
      return route ? route.handler(request) : { status: 404, data: { message: 'plugin route match not found' } };
    }).requests;
    return this;
  }

  calls(method: string, path: string): BackendSrvRequest[] {
    return this.requests.filter((r) => (r.method ?? 'GET') === method && r.url.endsWith(path));
  }
}

/** The live loop's first request: `since=now`, the cursor alone. */
export function startsLoop(request: BackendSrvRequest): boolean {
  return request.params?.since === SINCE_NOW;
}

/**
 * A proxy serving `jobs` live: `/changes?since=now` answers at once with a cursor (or with `failure`), and every
 * long-poll after it stays open, as the proxy holds it while nothing changes.
 * `GET /jobs` lists them as the proxy would (fakeJobList.ts) and `GET /jobs/:id` answers each.
 */
export function liveProxy(jobs: Job[], failure?: FakeAnswer): FakeProxy {
  const proxy = new FakeProxy().on('GET', 'api/v1/changes', (request) => {
    if (!startsLoop(request)) {
      return new Promise<FakeAnswer>(() => {});
    }
    return failure ?? { status: 200, data: { cursor: 'c0', items: [], removed: [] } };
  });
  serveJobList(proxy, () => jobs);
  jobs.forEach((job) => proxy.on('GET', `api/v1/jobs/${job.id}`, { status: 200, data: { job } }));
  return proxy.install();
}

/** The live loop's start as the proxy answers it: the cursor `c0`, no changes. */
const LOOP_START: FakeAnswer = { status: 200, data: { cursor: 'c0', items: [], removed: [] } };

/**
 * Serves the live loop on `proxy` as a proxy where nothing changes until the test says so: `since=now` answers
 * `start` at once, and every long-poll after it stays open until the test answers it, oldest first.
 */
export function heldChanges(proxy: FakeProxy, start: FakeAnswer = LOOP_START) {
  const polls: Array<ReturnType<typeof deferred<FakeAnswer>>> = [];
  let answered = 0;
  proxy.on('GET', 'api/v1/changes', (request) => {
    if (startsLoop(request)) {
      return start;
    }
    polls.push(deferred<FakeAnswer>());
    return polls.at(-1)!.promise;
  });
  /** Answers the oldest open long-poll, once the loop has sent it. */
  const answerPoll = async (reply: FakeAnswer) => {
    await waitFor(() => expect(polls.length).toBeGreaterThan(answered));
    await act(async () => polls[answered++].resolve(reply));
  };
  return {
    /** Every long-poll the loop sent after its start, answered or not. */
    polls,
    answerPoll,
    /** Answers the oldest open long-poll with these changes, at a new cursor. */
    answerChanges: (items: Job[], removed: string[] = []) =>
      answerPoll({ status: 200, data: { cursor: `c${answered + 1}`, items, removed } }),
  };
}
