import type { AppPluginMeta } from '@grafana/data';
import type { AppSettings } from '../../services/settings';
import { initialSettingsForm, settingsFormErrors, settingsPayload } from './settingsForm';

const meta = (overrides: Partial<AppPluginMeta<AppSettings>> = {}) =>
  ({
    id: 'flowkube-jobs-app',
    enabled: true,
    pinned: false,
    jsonData: { proxyUrl: 'http://proxy:8080', lokiDatasourceUid: 'flowkube-loki' },
    secureJsonFields: { readToken: true, launchToken: true },
    ...overrides,
  }) as AppPluginMeta<AppSettings>;

describe('settingsForm', () => {
  it('starts from jsonData and knows which tokens are configured, without their values', () => {
    const form = initialSettingsForm(meta({ secureJsonFields: { readToken: true } }));
    expect(form).toEqual({
      proxyUrl: 'http://proxy:8080',
      lokiDatasourceUid: 'flowkube-loki',
      prometheusDatasourceUid: undefined,
      tokens: { readToken: { value: '', configured: true }, launchToken: { value: '', configured: false } },
    });
  });

  it('leaves untouched configured tokens out of the payload so Grafana keeps them', () => {
    const m = meta();
    const payload = settingsPayload(m, { ...initialSettingsForm(m), proxyUrl: ' http://proxy:9090/ ' });
    expect(payload).toEqual({
      enabled: true,
      pinned: false,
      jsonData: {
        proxyUrl: 'http://proxy:9090',
        lokiDatasourceUid: 'flowkube-loki',
        prometheusDatasourceUid: undefined,
      },
      secureJsonData: undefined,
    });
  });

  it('sends only the tokens typed in now', () => {
    const m = meta();
    const form = initialSettingsForm(m);
    form.tokens.launchToken = { value: 'new-launch', configured: false };
    expect(settingsPayload(m, form).secureJsonData).toEqual({ launchToken: 'new-launch' });
  });

  it('asks for a proxy URL and for any token that is neither configured nor typed', () => {
    const form = initialSettingsForm(meta({ jsonData: {}, secureJsonFields: {} }));
    expect(Object.keys(settingsFormErrors(form)).sort()).toEqual(['launchToken', 'proxyUrl', 'readToken']);
    expect(settingsFormErrors({ ...form, proxyUrl: 'proxy:8080' }).proxyUrl).toBe(
      'Must start with http:// or https:// and name a host'
    );
    const filled = {
      ...form,
      proxyUrl: 'https://proxy.example:8080',
      tokens: { readToken: { value: 'r', configured: false }, launchToken: { value: 'l', configured: false } },
    };
    expect(settingsFormErrors(filled)).toEqual({});
  });
});
