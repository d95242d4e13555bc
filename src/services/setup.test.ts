import { missingSetup } from './setup';

describe('missingSetup', () => {
  const ready = { jsonData: { proxyUrl: 'http://flowkube-proxy:8080' }, secureJsonFields: { readToken: true } };

  it('is empty once the proxy URL and the read token are set; the launch token only blocks launches', () => {
    expect(missingSetup(ready)).toEqual([]);
  });

  it('names the proxy URL and the read token when they are missing', () => {
    expect(missingSetup({})).toEqual([
      expect.stringMatching(/^Enter the proxy URL/),
      expect.stringMatching(/^Enter the read token/),
    ]);
    expect(missingSetup({ ...ready, secureJsonFields: { launchToken: true } })).toEqual([
      expect.stringMatching(/read token/),
    ]);
  });

  it('refuses a proxy URL Grafana could not send a request to', () => {
    for (const proxyUrl of ['', '  ', 'flowkube-proxy:8080', 'http://']) {
      expect(missingSetup({ ...ready, jsonData: { proxyUrl } })).toHaveLength(1);
    }
  });
});
