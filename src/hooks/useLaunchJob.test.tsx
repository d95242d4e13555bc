import { act, renderHook } from '@testing-library/react';
import { type EventBus } from '@grafana/data';
import { setAppEvents } from '@grafana/runtime';
import { deferred, type FakeAnswer, installFakeBackendSrv, proxyError } from '../testing/fakeBackendSrv';
import { job } from '../testing/fixtures';
import { useLaunchJob } from './useLaunchJob';

const launched = job({ id: 'basic-abcde', params: { sleepSeconds: 5 } });
const idempotencyKeys = (requests: Array<{ headers?: Record<string, string> }>) =>
  requests.map((r) => r.headers?.['Idempotency-Key']);

describe('useLaunchJob', () => {
  let toasts: unknown[];

  beforeEach(() => {
    toasts = [];
    // Grafana's app shell turns published alert-success events into toasts.
    const publish = (event: { type: string; payload: unknown }) =>
      event.type === 'alert-success' && toasts.push(event.payload);
    setAppEvents({ publish } as unknown as EventBus);
  });

  it('POSTs the template and params with an Idempotency-Key and toasts the job id', async () => {
    const { requests } = installFakeBackendSrv(() => ({ status: 201, data: { job: launched } }));
    const { result } = renderHook(() => useLaunchJob());
    let answer: unknown;
    await act(async () => {
      answer = await result.current.launch('basic', { sleepSeconds: 5 });
    });
    expect(answer).toEqual(launched);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'api/plugin-proxy/flowkube-jobs-app/api/v1/jobs',
      data: { template: 'basic', params: { sleepSeconds: 5 } },
    });
    expect(idempotencyKeys(requests)[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(toasts).toEqual([['Job launched', 'basic-abcde']]);
    expect(result.current.launching).toBe(false);
  });

  it('makes one POST for a double click: the second call gets the same promise', async () => {
    const answer = deferred<FakeAnswer>();
    const { requests } = installFakeBackendSrv(() => answer.promise);
    const { result } = renderHook(() => useLaunchJob());
    let first!: Promise<unknown>;
    let second!: Promise<unknown>;
    act(() => {
      first = result.current.launch('basic', { sleepSeconds: 5 });
      second = result.current.launch('basic', { sleepSeconds: 5 });
    });
    expect(second).toBe(first);
    expect(result.current.launching).toBe(true);
    await act(async () => {
      answer.resolve({ status: 201, data: { job: launched } });
      await first;
    });
    expect(requests).toHaveLength(1);
    expect(toasts).toHaveLength(1);
  });

  it('retries after a network error with the same key, and uses a new key once the params change', async () => {
    let calls = 0;
    const { requests } = installFakeBackendSrv(() => {
      calls += 1;
      if (calls === 1) {
        throw new TypeError('Failed to fetch');
      }
      return { status: 201, data: { job: launched } };
    });
    const { result } = renderHook(() => useLaunchJob());
    await act(async () => {
      expect(await result.current.launch('basic', { sleepSeconds: 5, message: 'hi' })).toBeUndefined();
    });
    expect(result.current.error?.status).toBe(0);
    expect(result.current.error?.code).toBe('network');
    await act(async () => {
      // Same content, keys set in another order: still the same launch.
      await result.current.launch('basic', { message: 'hi', sleepSeconds: 5 });
    });
    await act(async () => {
      await result.current.launch('basic', { message: 'hi', sleepSeconds: 6 });
    });
    const [k1, k2, k3] = idempotencyKeys(requests);
    expect(k2).toBe(k1);
    expect(k3).not.toBe(k1);
  });

  it('uses a new key after a success, so launching again on purpose makes a new job', async () => {
    const { requests } = installFakeBackendSrv(() => ({ status: 201, data: { job: launched } }));
    const { result } = renderHook(() => useLaunchJob());
    await act(async () => {
      await result.current.launch('basic', {});
    });
    await act(async () => {
      await result.current.launch('basic', {});
    });
    const [k1, k2] = idempotencyKeys(requests);
    expect(k2).not.toBe(k1);
  });

  it('maps a 400 onto the fields it names', async () => {
    installFakeBackendSrv(() =>
      proxyError(400, 'bad_request', 'invalid params', {
        fields: [
          { field: 'params.sleepSeconds', message: 'must be <= 3600' },
          { field: 'template', message: 'unknown template' },
        ],
      })
    );
    const { result } = renderHook(() => useLaunchJob());
    await act(async () => {
      await result.current.launch('basic', { sleepSeconds: 9999 });
    });
    expect(result.current.fieldErrors).toEqual({ sleepSeconds: 'must be <= 3600', template: 'unknown template' });
    expect(result.current.error?.status).toBe(400);
    expect(toasts).toEqual([]);
    act(() => result.current.reset());
    expect(result.current.fieldErrors).toEqual({});
    expect(result.current.error).toBeUndefined();
  });

  it('keeps what a 429 says: the limit and when to retry', async () => {
    installFakeBackendSrv(() =>
      proxyError(429, 'limit_exceeded', 'cpu-load allows 2 running jobs; 2 are active', {
        limit: 'maxConcurrent',
        retryAfterSeconds: 90,
      })
    );
    const { result } = renderHook(() => useLaunchJob());
    await act(async () => {
      await result.current.launch('cpu-load', { durationSeconds: 30 });
    });
    expect(result.current.error?.status).toBe(429);
    expect(result.current.error?.code).toBe('limit_exceeded');
    expect(result.current.error?.message).toBe('cpu-load allows 2 running jobs; 2 are active');
    expect(result.current.error?.retryAfterSeconds).toBe(90);
  });
});
