// The preview's stand-in for the Grafana server, on 127.0.0.1 only: the host page for any app URL, the built plugin
// under /public/plugins/<id>/, Grafana's icons, the app's settings endpoint, and the plugin proxy
// (/api/plugin-proxy/<id>/...) enforcing plugin.json routes for the signed-in user of the page's session; with a
// `loki` option also a provisioned Loki data source (in the page's boot data) and /api/ds/query for it (lokiQuery.ts).
import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LokiStore } from './loki.ts';
import { answerDsQuery } from './lokiQuery.ts';
import {
  decideRoute,
  userHeader,
  type OrgRole,
  type PluginRoute,
  type PluginSettingsData,
  type ProxyUser,
} from './pluginRoutes.ts';

export interface PreviewServerOptions {
  /** The plugin's built files (dist/). */
  pluginDir: string;
  /** The bundled preview host (see buildHost.ts). */
  hostDir: string;
  /** jsonData and secureJsonData of the app, as an admin would have saved them. */
  settings: PluginSettingsData;
  /** Grafana's `[dataproxy] send_user_header` (false by default, as in Grafana's conf/defaults.ini). */
  sendUserHeader?: boolean;
  /** The app route transport's dial timeout (30 s in Grafana); there is no response timeout. */
  dialTimeoutMs?: number;
  /** A provisioned Loki data source with this uid, answering from `store`; none by default. */
  loki?: { uid: string; name?: string; store: LokiStore };
}

export interface PreviewServer {
  url: string;
  /** Every request that reached the plugin proxy, with the decision taken. */
  proxied: Array<{ method: string; path: string; role: OrgRole; status: number; idempotencyKey?: string }>;
  /** Session renewals backendSrv asked for after a 401 (`POST /api/user/auth-tokens/rotate`, `GET /api/login/ping`). */
  renewals: Array<{ method: string; path: string; status: number }>;
  stop(): Promise<void>;
}

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const repo = path.resolve(import.meta.dirname, '../..');
const iconsDir = path.join(repo, 'node_modules/@grafana/ui/dist/public/img/icons');

/**
 * Grafana writes the org's data sources into the page's boot data (`settings.datasources`, by name), which the
 * frontend's DataSourceSrv serves from; bootData.ts reads them from `window.__previewDatasources`.
 */
const hostPage = (datasources: Record<string, unknown>) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>FlowKube preview</title><style>body{margin:0}</style></head>
<body><div id="root"></div>
<script>window.__previewDatasources = ${JSON.stringify(datasources).replace(/</g, '\\u003c')};</script>
<script src="/preview/host.js"></script></body></html>`;

/**
 * A Loki data source as Grafana's boot data lists it (DataSourceInstanceSettings), its meta from Grafana's
 * public/app/plugins/datasource/loki/plugin.json.
 */
function lokiInstanceSettings(uid: string, name: string) {
  return {
    id: 1,
    uid,
    type: 'loki',
    name,
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${uid}`,
    isDefault: false,
    readOnly: true,
    jsonData: {},
    meta: {
      id: 'loki',
      type: 'datasource',
      name: 'Loki',
      category: 'logging',
      module: 'core:plugin/loki',
      baseUrl: 'public/app/plugins/datasource/loki',
      logs: true,
      metrics: true,
      alerting: true,
      annotations: true,
      streaming: true,
      backend: true,
      info: {
        author: { name: 'Grafana Labs', url: 'https://grafana.com' },
        description: 'Like Prometheus but for logs. OSS logging solution from Grafana Labs',
        logos: {
          small: 'public/app/plugins/datasource/loki/img/loki_icon.svg',
          large: 'public/app/plugins/datasource/loki/img/loki_icon.svg',
        },
        links: [],
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function sendFile(res: ServerResponse, root: string, relative: string) {
  const file = path.resolve(root, `.${path.posix.normalize(`/${decodeURIComponent(relative)}`)}`);
  const info = file.startsWith(root) ? await stat(file).catch(() => undefined) : undefined;
  if (!info?.isFile()) {
    sendJson(res, 404, { message: 'Not found' });
    return;
  }
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

// A fresh connection per request. Go's transport, which Grafana proxies with, sends a request again when the
// kept-alive connection it picked turns out closed by the upstream; Node's agent does not, so reusing sockets would
// turn the upstream's idle-connection close (5 s in Node) into 502s that Grafana never shows.
const upstreamAgent = new http.Agent({ keepAlive: false });

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const pluginJson = JSON.parse(readFileSync(path.join(options.pluginDir, 'plugin.json'), 'utf8'));
  const pluginId: string = pluginJson.id;
  const routes: PluginRoute[] = pluginJson.routes ?? [];
  const settings: PluginSettingsData = structuredClone(options.settings);
  const sessions = new Map<string, ProxyUser>();
  const proxied: PreviewServer['proxied'] = [];
  const renewals: PreviewServer['renewals'] = [];
  const upstream = new Set<http.ClientRequest>();
  const loki = options.loki;
  const lokiName = loki?.name ?? 'Loki';
  const datasources = loki ? { [lokiName]: lokiInstanceSettings(loki.uid, lokiName) } : {};
  const lokiStores = new Map<string, LokiStore>(loki ? [[loki.uid, loki.store]] : []);

  // Grafana's GET /api/plugins/<id>/settings: the meta, jsonData, and only WHICH secrets are set.
  const settingsView = () => ({
    ...pluginJson,
    enabled: true,
    pinned: true,
    module: `public/plugins/${pluginId}/module.js`,
    baseUrl: `public/plugins/${pluginId}`,
    jsonData: settings.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(settings.secureJsonData).map((key) => [key, true])),
  });

  const sessionOf = (req: IncomingMessage) => {
    const id = /(?:^|;\s*)grafana_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    return id ? sessions.get(id) : undefined;
  };

  function forward(req: IncomingMessage, res: ServerResponse, url: URL) {
    const user = sessionOf(req);
    if (!user) {
      sendJson(res, 401, { message: 'Unauthorized' });
      return;
    }
    const proxyPath = url.pathname.slice(`/api/plugin-proxy/${pluginId}/`.length);
    const method = req.method ?? 'GET';
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    const decision = decideRoute(routes, { method, proxyPath, search: url.search, role: user.role }, settings);
    if (decision.kind === 'deny') {
      proxied.push({ method, path: proxyPath, role: user.role, status: decision.status, idempotencyKey });
      sendJson(res, decision.status, { message: decision.message });
      return;
    }
    // Like Grafana's director: the browser's cookies stay behind, a client's own X-Grafana-User is dropped, the user
    // header is applied, then the route's headers (which win over everything before them).
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    delete headers.cookie;
    delete headers.host;
    delete headers['x-grafana-user'];
    const login = userHeader(options.sendUserHeader ?? false, user);
    if (login !== undefined) {
      headers['x-grafana-user'] = login;
    }
    Object.assign(headers, decision.headers);
    const outgoing = http.request(decision.url, { method, headers, agent: upstreamAgent }, (answer) => {
      proxied.push({ method, path: proxyPath, role: user.role, status: answer.statusCode ?? 0, idempotencyKey });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.add(outgoing);
    // Like Grafana's app route transport (pkg/api/plugin_proxy.go, pluginProxyTransport): a dial timeout and
    // nothing else, so an answer may take as long as it likes (`[dataproxy] timeout` is for data sources only). An
    // empty 502 when the proxy cannot be reached.
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) {
        return;
      }
      const dial = setTimeout(() => outgoing.destroy(new Error('dial timeout')), options.dialTimeoutMs ?? 30_000);
      socket.once('connect', () => clearTimeout(dial));
      socket.once('close', () => clearTimeout(dial));
    });
    outgoing.on('close', () => upstream.delete(outgoing));
    outgoing.on('error', () => {
      if (res.writableEnded) {
        return;
      }
      if (!res.headersSent) {
        proxied.push({ method, path: proxyPath, role: user.role, status: 502, idempotencyKey });
        res.writeHead(502).end();
      } else {
        res.destroy();
      }
    });
    // A closed page (or an aborted long-poll / log follow) ends the upstream request too.
    res.on('close', () => outgoing.destroy());
    req.pipe(outgoing);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://preview');
    const pluginPublic = `/public/plugins/${pluginId}/`;
    if (url.pathname.startsWith(`/api/plugin-proxy/${pluginId}/`)) {
      forward(req, res, url);
    } else if (
      (url.pathname === '/api/user/auth-tokens/rotate' && req.method === 'POST') ||
      (url.pathname === '/api/login/ping' && req.method === 'GET')
    ) {
      // A session renewal succeeds while the session is valid, as Grafana's does (the preview's never expire).
      const status = sessionOf(req) ? 200 : 401;
      renewals.push({ method: req.method, path: url.pathname, status });
      sendJson(res, status, status === 200 ? { message: 'Logged in' } : { message: 'Unauthorized' });
    } else if (url.pathname === '/api/ds/query' && req.method === 'POST') {
      // Grafana's data source query API: signed-in users only, then the data source's backend (lokiQuery.ts).
      if (!sessionOf(req)) {
        sendJson(res, 401, { message: 'Unauthorized' });
        return;
      }
      const answer = answerDsQuery(lokiStores, JSON.parse((await readBody(req)) || '{}'));
      sendJson(res, answer.status, answer.body);
    } else if (url.pathname === `/api/plugins/${pluginId}/settings` && req.method === 'GET') {
      sendJson(res, 200, settingsView());
    } else if (url.pathname === `/api/plugins/${pluginId}/settings` && req.method === 'POST') {
      if (sessionOf(req)?.role !== 'Admin') {
        sendJson(res, 403, { message: 'Permission denied' });
        return;
      }
      const body = JSON.parse((await readBody(req)) || '{}');
      settings.jsonData = body.jsonData ?? settings.jsonData;
      for (const [key, value] of Object.entries(body.secureJsonData ?? {})) {
        settings.secureJsonData[key] = String(value);
      }
      sendJson(res, 200, { message: 'Plugin settings updated' });
    } else if (url.pathname.startsWith(pluginPublic)) {
      await sendFile(res, options.pluginDir, url.pathname.slice(pluginPublic.length));
    } else if (url.pathname.startsWith('/public/build/img/icons/')) {
      await sendFile(res, iconsDir, url.pathname.slice('/public/build/img/icons/'.length));
    } else if (url.pathname.startsWith('/preview/')) {
      await sendFile(res, options.hostDir, url.pathname.slice('/preview/'.length));
    } else if (req.method === 'GET' && /^\/(a|plugins|d)\//.test(url.pathname)) {
      // Loading a page signs the user in: the role and login from the URL hold for the whole session.
      // `anonymous=true` is Grafana's [auth.anonymous] user instead: no login, the role anonymous users are given.
      const id = randomUUID();
      const role = url.searchParams.get('role');
      const anonymous = url.searchParams.get('anonymous') === 'true';
      sessions.set(id, {
        login: anonymous ? '' : (url.searchParams.get('login') ?? 'preview-user'),
        role: role === 'Viewer' || role === 'Admin' ? role : 'Editor',
        anonymous,
      });
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Set-Cookie': `grafana_session=${id}; Path=/; HttpOnly; SameSite=Lax`,
      });
      res.end(hostPage(datasources));
    } else {
      sendJson(res, 404, { message: 'Not found' });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { message: String(err) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    proxied,
    renewals,
    stop: () =>
      new Promise<void>((resolve) => {
        upstream.forEach((request) => request.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
