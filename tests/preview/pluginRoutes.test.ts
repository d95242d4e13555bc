import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decideRoute, interpolate, type PluginRoute, userHeader } from './pluginRoutes.ts';

const settings = {
  jsonData: { proxyUrl: 'http://127.0.0.1:9999' },
  secureJsonData: { readToken: 'read-secret', launchToken: 'launch-secret' },
};

const routes: PluginRoute[] = [
  {
    path: 'api/*',
    method: 'GET',
    reqRole: 'Viewer',
    url: '{{ .JsonData.proxyUrl }}/api',
    headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.readToken }}' }],
  },
  { path: 'healthz', method: 'GET', reqRole: 'Viewer', url: '{{ .JsonData.proxyUrl }}/healthz' },
  {
    path: 'api/*',
    method: 'POST',
    reqRole: 'Editor',
    url: '{{ .JsonData.proxyUrl }}/api',
    headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.launchToken }}' }],
  },
];

test('interpolate fills jsonData and secureJsonData and leaves unknown keys empty', () => {
  assert.equal(
    interpolate('{{ .JsonData.proxyUrl }}/x {{.SecureJsonData.nope}}|', settings),
    'http://127.0.0.1:9999/x |'
  );
});

test('a wildcard route appends the rest of the path and keeps the query', () => {
  const decision = decideRoute(
    routes,
    { method: 'GET', proxyPath: 'api/v1/jobs', search: '?limit=5', role: 'Viewer' },
    settings
  );
  assert.deepEqual(decision, {
    kind: 'forward',
    url: 'http://127.0.0.1:9999/api/v1/jobs?limit=5',
    headers: { Authorization: 'Bearer read-secret' },
  });
});

test('an exact route forwards to its url as is', () => {
  const decision = decideRoute(routes, { method: 'GET', proxyPath: 'healthz', search: '', role: 'Admin' }, settings);
  assert.equal(decision.kind === 'forward' && decision.url, 'http://127.0.0.1:9999/healthz');
});

test('the method picks the route, and so the token', () => {
  const decision = decideRoute(
    routes,
    { method: 'POST', proxyPath: 'api/v1/jobs', search: '', role: 'Editor' },
    settings
  );
  assert.equal(decision.kind === 'forward' && decision.headers.Authorization, 'Bearer launch-secret');
});

test('a role below reqRole is denied with 403, a higher one passes', () => {
  const post = { method: 'POST', proxyPath: 'api/v1/jobs', search: '' };
  assert.deepEqual(decideRoute(routes, { ...post, role: 'Viewer' }, settings), {
    kind: 'deny',
    status: 403,
    message: 'plugin proxy route access denied',
  });
  assert.equal(decideRoute(routes, { ...post, role: 'Admin' }, settings).kind, 'forward');
});

test('no matching route is a 404, as in Grafana', () => {
  const decision = decideRoute(
    routes,
    { method: 'DELETE', proxyPath: 'api/v1/jobs/x', search: '', role: 'Admin' },
    settings
  );
  assert.deepEqual(decision, { kind: 'deny', status: 404, message: 'plugin route match not found' });
});

test("the plugin's own routes reach the proxy's API paths with the right token per method", () => {
  const plugin = JSON.parse(readFileSync(new URL('../../src/plugin.json', import.meta.url), 'utf8'));
  const pluginRoutes: PluginRoute[] = plugin.routes ?? [];
  if (pluginRoutes.length === 0) {
    assert.fail('src/plugin.json has no routes');
  }
  const at = (method: string, proxyPath: string, role: 'Viewer' | 'Editor') =>
    decideRoute(pluginRoutes, { method, proxyPath, search: '', role }, settings);
  assert.deepEqual(at('GET', 'api/v1/templates', 'Viewer'), {
    kind: 'forward',
    url: 'http://127.0.0.1:9999/api/v1/templates',
    headers: { Authorization: 'Bearer read-secret' },
  });
  const readyz = at('GET', 'readyz', 'Viewer');
  assert.equal(readyz.kind === 'forward' && readyz.url, 'http://127.0.0.1:9999/readyz');
  // PATCH: editing or suspending a schedule (PATCH /api/v1/schedules/:id) is a change, with the launch token
  for (const method of ['POST', 'DELETE', 'PATCH']) {
    const path = { POST: 'api/v1/jobs', DELETE: 'api/v1/jobs/basic-x2b4k', PATCH: 'api/v1/schedules/basic-x2b4k' }[
      method
    ]!;
    const allowed = at(method, path, 'Editor');
    assert.equal(allowed.kind === 'forward' && allowed.url, `http://127.0.0.1:9999/${path}`);
    assert.equal(allowed.kind === 'forward' && allowed.headers.Authorization, 'Bearer launch-secret');
    assert.equal(at(method, path, 'Viewer').kind, 'deny');
  }
});

test('X-Grafana-User: only with send_user_header on, and only for a signed-in user', () => {
  const alice = { login: 'alice', role: 'Editor' as const, anonymous: false };
  assert.equal(userHeader(true, alice), 'alice');
  assert.equal(userHeader(false, alice), undefined, "off is Grafana's default");
  assert.equal(userHeader(true, { login: '', role: 'Viewer', anonymous: true }), undefined);
  assert.equal(userHeader(true, undefined), undefined);
});
