// What Grafana's app plugin proxy (/api/plugin-proxy/<id>/<path>) does with plugin.json `routes`, so the preview
// enforces the same roles and injects the same tokens as a real Grafana: the FIRST route whose method and path
// match wins; a route whose reqRole the user lacks answers 403 "plugin proxy route access denied"; no match is a
// 404; a `*` path forwards the rest of the path appended to the route's url; headers and url are templates over
// the app's jsonData and secureJsonData.

export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export interface PluginRoute {
  path: string;
  method?: string;
  reqRole?: OrgRole;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface PluginSettingsData {
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

/** The caller as Grafana's proxy sees it: a signed-in user, or the anonymous user of `[auth.anonymous]`. */
export interface ProxyUser {
  login: string;
  role: OrgRole;
  anonymous: boolean;
}

export type RouteDecision =
  | { kind: 'forward'; url: string; headers: Record<string, string> }
  | { kind: 'deny'; status: 403 | 404; message: string };

const rank: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 };

/** Grafana's `{{ .JsonData.x }}` / `{{ .SecureJsonData.y }}` templates; an unknown key renders as empty text. */
export function interpolate(template: string, data: PluginSettingsData): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_, scope: string, key: string) => {
    const source: Record<string, unknown> = scope === 'JsonData' ? data.jsonData : data.secureJsonData;
    const value = source[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

/** The rest of the path a route matches (`''` for an exact path), or undefined when it does not match. */
function matchPath(routePath: string, proxyPath: string): string | undefined {
  if (routePath.endsWith('*')) {
    const prefix = routePath.slice(0, -1);
    return proxyPath.startsWith(prefix) ? proxyPath.slice(prefix.length) : undefined;
  }
  return proxyPath.replace(/\/$/, '') === routePath.replace(/\/$/, '') ? '' : undefined;
}

function joinUrlFragments(a: string, b: string): string {
  if (b === '') {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  return aSlash || bSlash ? a + b : `${a}/${b}`;
}

export function decideRoute(
  routes: PluginRoute[],
  request: { method: string; proxyPath: string; search: string; role: OrgRole },
  settings: PluginSettingsData
): RouteDecision {
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== request.method) {
      continue;
    }
    const rest = matchPath(route.path, request.proxyPath);
    if (rest === undefined) {
      continue;
    }
    if (route.reqRole && rank[request.role] < rank[route.reqRole]) {
      return { kind: 'deny', status: 403, message: 'plugin proxy route access denied' };
    }
    const target = new URL(interpolate(route.url, settings));
    target.pathname = joinUrlFragments(target.pathname, rest);
    target.search = request.search;
    const headers = Object.fromEntries((route.headers ?? []).map((h) => [h.name, interpolate(h.content, settings)]));
    return { kind: 'forward', url: target.toString(), headers };
  }
  return { kind: 'deny', status: 404, message: 'plugin route match not found' };
}

/**
 * The `X-Grafana-User` value Grafana forwards, or undefined for none. Grafana first deletes any incoming header of
 * that name, then sets the login only when `[dataproxy] send_user_header` is on (off by default) and the caller is a
 * signed-in user (grafana/grafana pkg/util/proxyutil/proxyutil.go, ApplyUserHeader, called from the app route
 * director in pkg/api/pluginproxy/pluginproxy.go). Anonymous users, service accounts and the renderer get none.
 */
export function userHeader(sendUserHeader: boolean, user: ProxyUser | undefined): string | undefined {
  return sendUserHeader && user && !user.anonymous ? user.login : undefined;
}
