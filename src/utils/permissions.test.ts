import { config } from '@grafana/runtime';
import { launchPermission, orgRoleIncludes } from './permissions';

function signIn(user: { orgRole: string; isGrafanaAdmin: boolean }) {
  config.bootData.user = { ...config.bootData.user, ...user } as typeof config.bootData.user;
}

describe('launchPermission', () => {
  const original = config.bootData.user;
  afterEach(() => {
    config.bootData.user = original;
  });

  it('follows the org role the launch route requires', () => {
    for (const [orgRole, allowed] of [
      ['Admin', true],
      ['Editor', true],
      ['Viewer', false],
      ['None', false],
      ['', false],
    ] as const) {
      signIn({ orgRole, isGrafanaAdmin: false });
      expect([orgRole, launchPermission().allowed]).toEqual([orgRole, allowed]);
    }
  });

  it('gives a Grafana server admin whose org role is Viewer no Launch, as the route check would refuse it', () => {
    signIn({ orgRole: 'Viewer', isGrafanaAdmin: true });
    const permission = launchPermission();
    expect(permission.allowed).toBe(false);
    expect(permission.reason).toMatch(/needs the Editor role; you are Viewer/);
  });

  it('gives a server admin who is an org Editor Launch through the org role', () => {
    signIn({ orgRole: 'Editor', isGrafanaAdmin: true });
    expect(launchPermission().allowed).toBe(true);
  });
});

describe('orgRoleIncludes', () => {
  it('is Grafana RoleType.Includes: higher roles include lower ones, None and unknown roles include nothing', () => {
    expect(orgRoleIncludes('Admin', 'Viewer')).toBe(true);
    expect(orgRoleIncludes('Editor', 'Admin')).toBe(false);
    expect(orgRoleIncludes('None', 'Viewer')).toBe(false);
    expect(orgRoleIncludes('Superuser', 'Viewer')).toBe(false);
    expect(orgRoleIncludes(undefined, 'Viewer')).toBe(false);
  });
});
