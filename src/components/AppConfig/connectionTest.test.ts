import { ApiError } from '../../api/client';
import { installFakeBackendSrv, proxyError, type FakeAnswer } from '../../testing/fakeBackendSrv';
import { basicTemplate, logGenTemplate } from '../../testing/fixtures';
import { explainFailure, runConnectionTest } from './connectionTest';

/** Answers like Grafana's plugin proxy in front of the FlowKube proxy, with one step overridden. */
function proxyAnswering(overrides: Partial<Record<'healthz' | 'readyz' | 'templates', FakeAnswer>>) {
  return installFakeBackendSrv(({ url }) => {
    const step = url.endsWith('/healthz') ? 'healthz' : url.endsWith('/readyz') ? 'readyz' : 'templates';
    const ok = step === 'templates' ? { items: [basicTemplate, logGenTemplate] } : { status: 'ok' };
    return overrides[step] ?? { status: 200, data: ok };
  });
}

describe('runConnectionTest', () => {
  it('calls healthz, readyz and templates through the plugin routes, in order, and counts templates', async () => {
    const { requests } = proxyAnswering({});
    expect(await runConnectionTest()).toEqual({ ok: true, templates: 2 });
    expect(requests.map((r) => r.url)).toEqual([
      'api/plugin-proxy/flowkube-jobs-app/healthz',
      'api/plugin-proxy/flowkube-jobs-app/readyz',
      'api/plugin-proxy/flowkube-jobs-app/api/v1/templates',
    ]);
  });

  it('stops at the first failing step and names it', async () => {
    const { requests } = proxyAnswering({ readyz: proxyError(503, 'not_ready', 'pod cache not synced') });
    const result = await runConnectionTest();
    expect(result).toEqual({
      ok: false,
      step: 'readyz',
      message:
        'readyz: the proxy is up but its Pod cache has not synced with Kubernetes — check its RBAC (list/watch pods in flowkube-jobs) and its logs',
    });
    expect(requests).toHaveLength(2);
  });

  it('blames the read token for a 401 from the proxy', async () => {
    proxyAnswering({ templates: proxyError(401, 'unauthorized', 'bad token') });
    const result = await runConnectionTest();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^templates: the read token is wrong/);
  });

  it('says Grafana cannot reach the proxy when Grafana itself answers 502', async () => {
    proxyAnswering({ healthz: { status: 502, data: { message: 'Bad Gateway' } } });
    const result = await runConnectionTest();
    expect(!result.ok && result.message).toMatch(/^healthz: Grafana cannot reach the proxy URL \(HTTP 502\)/);
  });
});

describe('explainFailure', () => {
  const cases: Array<[string, ApiError, RegExp]> = [
    ['network', new ApiError(0, 'network', 'Failed to fetch'), /no answer from Grafana \(Failed to fetch\)/],
    ['Grafana 404 (no route)', new ApiError(404, 'grafana', 'Not found'), /Grafana cannot reach the proxy URL/],
    ['Grafana 504', new ApiError(504, 'grafana', 'Gateway Timeout'), /timed out waiting for the proxy/],
    ['Grafana 401', new ApiError(401, 'grafana', 'Unauthorized'), /sign in to Grafana again/],
    ['Grafana 403', new ApiError(403, 'grafana', 'Permission denied'), /your role cannot use it/],
    ['proxy 401', new ApiError(401, 'unauthorized', 'bad token'), /read token is wrong.*FLOWKUBE_READ_TOKEN/],
    ['proxy 500', new ApiError(500, 'internal', 'Internal Server Error'), /proxy answered 500.*check its logs/],
  ];
  it.each(cases)('explains %s', (_name, err, expected) => {
    expect(explainFailure('healthz', err)).toMatch(expected);
  });
});
