import type { AppPluginMeta } from '@grafana/data';
import { initialSettingsForm, settingsFormErrors } from '../components/AppConfig/settingsForm';
import type { AppSettings } from './settings';

/** The part of the app's settings Grafana hands to the browser: jsonData, and which secrets are set (never their values). */
export type AppSetup = Pick<AppPluginMeta<AppSettings>, 'jsonData' | 'secureJsonFields'>;

/**
 * What must be configured before any page can read from the proxy, one sentence each; empty once it can. The proxy
 * URL and the read token: without them Grafana's plugin proxy has nowhere to send a request, or sends it without a
 * token, and every page would only show that failure. A missing launch token blocks launches only, which say so
 * themselves (services/proxyErrors.ts). The checks are the configuration page's own, so both agree on "configured".
 */
export function missingSetup(setup: AppSetup): string[] {
  const errors = settingsFormErrors(initialSettingsForm(setup));
  return [errors.proxyUrl, errors.readToken].filter((message): message is string => message !== undefined);
}
