// Grafana writes window.grafanaBootData into its HTML before any script runs, and @grafana/runtime reads it once
// when `config` is first imported; this module is the bundle's first entry so the same holds here. The signed-in
// user's role and theme come from the page URL: ?role=Viewer|Editor|Admin&theme=dark|light&login=<name>, or
// &anonymous=true for Grafana's anonymous user (not signed in, no login; what [auth.anonymous] gives).

export type Role = 'Viewer' | 'Editor' | 'Admin';

export interface PreviewParams {
  login: string;
  role: Role;
  theme: 'dark' | 'light';
  anonymous: boolean;
}

export function readPreviewParams(search: string): PreviewParams {
  const query = new URLSearchParams(search);
  const role = query.get('role');
  const anonymous = query.get('anonymous') === 'true';
  return {
    login: anonymous ? '' : (query.get('login') ?? 'preview-user'),
    anonymous,
    role: role === 'Viewer' || role === 'Admin' ? role : 'Editor',
    theme: query.get('theme') === 'light' ? 'light' : 'dark',
  };
}

/** The @grafana/runtime version the host was built with (buildHost.ts): what Grafana reports as its own. */
declare const PREVIEW_GRAFANA_VERSION: string;

const params = readPreviewParams(window.location.search);

Object.assign(window, {
  __grafana_public_path__: '/public/',
  grafanaBootData: {
    assets: { dark: '', light: '' },
    navTree: [],
    settings: {
      appSubUrl: '',
      appUrl: `${window.location.origin}/`,
      buildInfo: { version: PREVIEW_GRAFANA_VERSION },
      // On by default since Grafana 10.3: backendSrv renews a session by rotating its token, not by a login ping.
      featureToggles: { clientTokenRotation: true },
      // The org's data sources by name, which server.ts writes into the page as Grafana writes its boot data.
      datasources: (window as unknown as { __previewDatasources?: object }).__previewDatasources ?? {},
    },
    user: {
      id: params.anonymous ? 0 : 1,
      uid: params.anonymous ? '' : 'preview-user',
      login: params.login,
      name: params.login,
      email: `${params.login}@example.invalid`,
      orgId: 1,
      orgName: 'Main Org.',
      orgRole: params.role,
      isSignedIn: !params.anonymous,
      isGrafanaAdmin: false,
      theme: params.theme,
      timezone: 'utc',
      locale: 'en-US',
      language: 'en-US',
      permissions: {},
    },
  },
});
