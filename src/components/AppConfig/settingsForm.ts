import type { AppPluginMeta, PluginMeta } from '@grafana/data';
import type { AppSettings } from '../../services/settings';

export type TokenName = 'readToken' | 'launchToken';

/** What the config page edits. Tokens hold only what the admin typed now; saved ones are never sent to the browser. */
export interface SettingsForm {
  proxyUrl: string;
  lokiDatasourceUid?: string;
  prometheusDatasourceUid?: string;
  tokens: Record<TokenName, { value: string; configured: boolean }>;
}

export const TOKEN_NAMES: TokenName[] = ['readToken', 'launchToken'];

export function initialSettingsForm(
  meta: Pick<AppPluginMeta<AppSettings>, 'jsonData' | 'secureJsonFields'>
): SettingsForm {
  const jsonData = meta.jsonData ?? {};
  return {
    proxyUrl: jsonData.proxyUrl ?? '',
    lokiDatasourceUid: jsonData.lokiDatasourceUid,
    prometheusDatasourceUid: jsonData.prometheusDatasourceUid,
    tokens: {
      readToken: { value: '', configured: Boolean(meta.secureJsonFields?.readToken) },
      launchToken: { value: '', configured: Boolean(meta.secureJsonFields?.launchToken) },
    },
  };
}

/** Why the form cannot be saved yet, said per field; empty when it can. */
export function settingsFormErrors(form: SettingsForm): Partial<Record<'proxyUrl' | TokenName, string>> {
  const errors: Partial<Record<'proxyUrl' | TokenName, string>> = {};
  const url = form.proxyUrl.trim();
  if (url === '') {
    errors.proxyUrl = 'Enter the proxy URL, e.g. http://flowkube-proxy.flowkube-admin.svc:8080';
  } else if (!/^https?:\/\/[^/\s]+/.test(url)) {
    errors.proxyUrl = 'Must start with http:// or https:// and name a host';
  }
  for (const name of TOKEN_NAMES) {
    const token = form.tokens[name];
    if (!token.configured && token.value.trim() === '') {
      errors[name] =
        name === 'readToken'
          ? 'Enter the read token (FLOWKUBE_READ_TOKEN of the proxy)'
          : 'Enter the launch token (FLOWKUBE_LAUNCH_TOKEN of the proxy)';
    }
  }
  return errors;
}

/**
 * The body of POST /api/plugins/<id>/settings. Grafana keeps a secure field that is left out, so only tokens
 * typed in now are sent: a configured token the admin did not touch is never overwritten with an empty string.
 */
export function settingsPayload(
  meta: AppPluginMeta<AppSettings>,
  form: SettingsForm
): Partial<PluginMeta<AppSettings>> {
  const secureJsonData: Record<string, string> = {};
  for (const name of TOKEN_NAMES) {
    const token = form.tokens[name];
    if (!token.configured && token.value.trim() !== '') {
      secureJsonData[name] = token.value.trim();
    }
  }
  const jsonData: AppSettings = { ...meta.jsonData, proxyUrl: form.proxyUrl.trim().replace(/\/+$/, '') };
  jsonData.lokiDatasourceUid = form.lokiDatasourceUid;
  jsonData.prometheusDatasourceUid = form.prometheusDatasourceUid;
  return {
    enabled: meta.enabled,
    pinned: meta.pinned,
    jsonData,
    secureJsonData: Object.keys(secureJsonData).length > 0 ? secureJsonData : undefined,
  };
}
