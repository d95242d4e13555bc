import { config } from '@grafana/runtime';
import { followJobLogs, LogStreamError } from './logStream';

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

    await expect(followJobLogs('x', { skip: 0, signal, onLines: () => undefined })).rejects.toEqual(
      new LogStreamError(404, 'job x not found')
    );
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toMatch(/\/api\/plugin-proxy\/flowkube-jobs-app\/api\/v1\/jobs\/x\/logs\?follow=true$/);
    expect(init.headers).toEqual({ Accept: 'text/plain', 'X-Grafana-Org-Id': '7' });
    expect(init.credentials).toBe('same-origin');
  });
});
