import { config } from '@grafana/runtime';
import pluginJson from '../plugin.json';

export interface LaunchPermission {
  allowed: boolean;
  /** Why launching is not allowed, said so a person knows whom to ask. */
  reason?: string;
}

type OrgRoleName = 'None' | 'Viewer' | 'Editor' | 'Admin';

const rank: Record<OrgRoleName, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

/** Grafana's `org.RoleType.Includes` (pkg/services/org/model.go): Admin ⊇ Editor ⊇ Viewer; None includes nothing. */
export function orgRoleIncludes(role: string | undefined, required: OrgRoleName): boolean {
  const have = rank[role as OrgRoleName];
  return have !== undefined && have > 0 && have >= rank[required];
}

/** The role plugin.json's launch routes demand: launching, cancelling and changing schedules (POST, DELETE, PATCH). */
const launchRole = (pluginJson.routes.find((r) => r.method === 'POST')?.reqRole ?? 'Editor') as OrgRoleName;

/**
 * Launching and cancelling go through plugin routes with a `reqRole`, so the UI disables them for anyone Grafana
 * would answer 403. Grafana checks the ORG role only (`signedInUser.GetOrgRole().Includes(route.ReqRole)` in
 * grafana/grafana pkg/api/pluginproxy/pluginproxy.go, hasAccessToRoute): being a Grafana server admin grants
 * nothing there, so a server admin whose org role is Viewer cannot launch either.
 */
export function launchPermission(): LaunchPermission {
  return permissionTo('Launching and cancelling jobs');
}

/** Schedules are created, changed and run through the same launch-token routes (POST, PATCH, DELETE). */
export function schedulePermission(): LaunchPermission {
  return permissionTo('Creating, changing and running schedules');
}

function permissionTo(what: string): LaunchPermission {
  const user = config.bootData.user;
  if (orgRoleIncludes(user.orgRole, launchRole)) {
    return { allowed: true };
  }
  return {
    allowed: false,
    reason: `${what} needs the ${launchRole} role; you are ${user.orgRole || 'not signed in'}. Ask an organization admin.`,
  };
}
