// Grafana writes window.grafanaBootData into its HTML before any script runs, and @grafana/runtime reads it once
// when `config` is first imported; this module is the bundle's first entry so the same holds here. The signed-in
// user's role and theme come from the page URL: ?role=Viewer|Editor|Admin&theme=dark|light&login=<name>.

export type Role = 'Viewer' | 'Editor' | 'Admin';

export interface PreviewParams {
  login: string;
  role: Role;
  theme: 'dark' | 'light';
}

export function readPreviewParams(search: string): PreviewParams {
  const query = new URLSearchParams(search);
  const role = query.get('role');
  return {
    login: query.get('login') ?? 'preview-user',
    role: role === 'Viewer' || role === 'Admin' ? role : 'Editor',
    theme: query.get('theme') === 'light' ? 'light' : 'dark',
  };
}

const params = readPreviewParams(window.location.search);

Object.assign(window, {
  __grafana_public_path__: '/public/',
  grafanaBootData: {
    assets: { dark: '', light: '' },
    navTree: [],
    settings: {
      appSubUrl: '',
      appUrl: `${window.location.origin}/`,
      buildInfo: { version: '12.4.2' },
      regionalFormat: 'en-US',
    },
    user: {
      id: 1,
      uid: 'preview-user',
      login: params.login,
      name: params.login,
      email: `${params.login}@example.invalid`,
      orgId: 1,
      orgName: 'Main Org.',
      orgRole: params.role,
      isSignedIn: true,
      isGrafanaAdmin: false,
      theme: params.theme,
      timezone: 'utc',
      locale: 'en-US',
      language: 'en-US',
      permissions: {},
    },
  },
});
