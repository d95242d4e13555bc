import { config } from '@grafana/runtime';

export interface LaunchPermission {
  allowed: boolean;
  /** Why launching is not allowed, said so a person knows whom to ask. */
  reason?: string;
}

/**
 * Launching and cancelling go through the plugin routes that require the Editor role
 * (plugin.json), so the UI disables them for anyone below Editor instead of letting Grafana answer 403.
 */
export function launchPermission(): LaunchPermission {
  const user = config.bootData.user;
  if (user.isGrafanaAdmin || user.orgRole === 'Admin' || user.orgRole === 'Editor') {
    return { allowed: true };
  }
  return {
    allowed: false,
    reason: `Launching and cancelling jobs needs the Editor role; you are ${user.orgRole || 'not signed in'}. Ask an organization admin.`,
  };
}
