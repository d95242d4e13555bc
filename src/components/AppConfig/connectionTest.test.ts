import { installFakeBackendSrv, proxyError, type FakeAnswer } from '../../testing/fakeBackendSrv';
import { basicTemplate, logGenTemplate } from '../../testing/fixtures';
import { runConnectionTest } from './connectionTest';

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
      message: expect.stringMatching(
        /^readyz: The proxy is starting: pod cache not synced\. .*check the proxy's RBAC \(list\/watch pods in flowkube-jobs\)/
      ),
    });
    expect(requests).toHaveLength(2);
  });

  it('blames the read token when the proxy refuses it', async () => {
    proxyAnswering({ templates: proxyError(403, 'token_rejected', 'the read token was refused') });
    const result = await runConnectionTest();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /^templates: The proxy rejected Grafana’s token: The read token was refused — set it on the app's configuration page/
    );
  });

  it('says Grafana cannot reach the proxy when Grafana itself answers 502', async () => {
    proxyAnswering({ healthz: { status: 502, data: { message: 'Bad Gateway' } } });
    const result = await runConnectionTest();
    expect(!result.ok && result.message).toMatch(
      /^healthz: The FlowKube proxy is unreachable: Grafana could not connect to the proxy \(HTTP 502: Bad Gateway\)/
    );
  });
});
