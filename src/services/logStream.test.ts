import { ReadableStream } from 'stream/web';
import { config } from '@grafana/runtime';
import { ApiError } from '../api/client';
import { fetchJobLog, followJobLogs } from './logStream';

/** What the promise rejected with; a promise that resolves fails the test. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected it to reject');
    },
    (err: unknown) => err
  );

describe('followJobLogs', () => {
  const originalFetch = global.fetch;
  const originalUser = config.bootData.user;
  afterEach(() => {
    global.fetch = originalFetch;
    config.bootData.user = originalUser;
  });

  it("sends the page's org as X-Grafana-Org-Id, as backendSrv does for every request to Grafana", async () => {
    config.bootData.user = { ...originalUser, orgId: 7 };
    const fetchMock = jest.fn().mockResolvedValue({
      ok: false,
      status: 404,
      body: null,
      text: async () => JSON.stringify({ error: { code: 'not_found', message: 'job x not found' } }),
    });
    global.fetch = fetchMock;
    const signal = new AbortController().signal;

    await expect(followJobLogs('x', { skip: 0, signal, onLines: () => undefined })).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'job x not found',
    });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toMatch(/\/api\/plugin-proxy\/flowkube-jobs-app\/api\/v1\/jobs\/x\/logs\?follow=true$/);
    expect(init.headers).toEqual({ Accept: 'text/plain', 'X-Grafana-Org-Id': '7' });
    expect(init.credentials).toBe('same-origin');
  });

  const follow = () => followJobLogs('x', { skip: 0, signal: new AbortController().signal, onLines: () => undefined });

  // The same ApiError as every call in api/client.ts, so proxyErrors.ts explains a log stream's failure the same way.
  it.each([
    [
      'the proxy’s error, with its code and details',
      {
        status: 429,
        text: JSON.stringify({ error: { code: 'limit_exceeded', message: 'busy', details: { retryAfterSeconds: 5 } } }),
      },
      { status: 429, code: 'limit_exceeded', message: 'busy', retryAfterSeconds: 5 },
    ],
    [
      'Grafana’s own JSON answer',
      { status: 403, text: JSON.stringify({ message: 'plugin proxy route access denied' }) },
      { status: 403, code: 'grafana', message: 'plugin proxy route access denied' },
    ],
    [
      'a plain-text answer from something in front of the proxy',
      { status: 502, text: 'upstream connect error' },
      { status: 502, code: 'grafana', message: 'upstream connect error' },
    ],
    [
      'an empty answer',
      { status: 504, text: '', statusText: 'Gateway Timeout' },
      { status: 504, code: 'grafana', message: 'Gateway Timeout' },
    ],
  ])('rejects with an ApiError for %s', async (_, { text, ...answer }, expected) => {
    global.fetch = jest.fn().mockResolvedValue({ ok: false, body: null, text: async () => text, ...answer });
    const err = await rejection(follow());
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject(expected);
  });

  it('rejects with a network ApiError when nothing answers, and when the stream breaks', async () => {
    global.fetch = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    expect(await rejection(follow())).toMatchObject({
      status: 0,
      code: 'network',
      message: 'Failed to fetch',
    });

    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.error(new TypeError('network error')),
    });
    global.fetch = jest.fn().mockResolvedValue({ ok: true, status: 200, body });
    const cut = await rejection(follow());
    expect(cut).toBeInstanceOf(ApiError);
    expect(cut).toMatchObject({ status: 0, code: 'network', message: 'network error' });
  });
});

describe('fetchJobLog', () => {
  const originalFetch = global.fetch;
  afterEach(() => {
    global.fetch = originalFetch;
  });

  it('rejects a download the proxy refuses with its ApiError', async () => {
    global.fetch = jest.fn().mockResolvedValue({
      ok: false,
      status: 403,
      text: async () => JSON.stringify({ error: { code: 'token_rejected', message: 'token rejected' } }),
    });
    const err = await rejection(fetchJobLog('x'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, code: 'token_rejected', message: 'token rejected' });
  });
});
