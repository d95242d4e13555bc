import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';

/** Sets the signed-in user's org role the way Grafana's boot data carries it (what launchPermission reads). */
export function signInAs(role: 'Viewer' | 'Editor' | 'Admin'): void {
  config.bootData.user = { ...config.bootData.user, orgRole: OrgRole[role], isGrafanaAdmin: false };
}
