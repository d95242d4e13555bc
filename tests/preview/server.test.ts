// The preview's stand-in for Grafana's server, checked against what Grafana's source does (each test names the
// file), with a plain echo server as the app's upstream.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPreviewServer, type PreviewServer, type PreviewServerOptions } from './server.ts';

const repo = path.resolve(import.meta.dirname, '../..');

describe('preview server (Grafana stand-in)', () => {
  const pluginDir = mkdtempSync(path.join(os.tmpdir(), 'flowkube-preview-plugin-'));
  copyFileSync(path.join(repo, 'src/plugin.json'), path.join(pluginDir, 'plugin.json'));
  const seen: http.IncomingHttpHeaders[] = [];
  // Answers 200 with the headers it got; `/api/slow` streams for a while first, as a log follow does.
  const upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url?.startsWith('/api/slow')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first\n');
      setTimeout(() => res.end('last\n'), 600);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true }));
  });
  const servers: PreviewServer[] = [];

  before(() => new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve)));
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await new Promise((resolve) => upstream.close(resolve));
    rmSync(pluginDir, { recursive: true, force: true });
  });

  async function start(extra: Partial<PreviewServerOptions> = {}) {
    const { port } = upstream.address() as AddressInfo;
    const server = await startPreviewServer({
      pluginDir,
      hostDir: pluginDir,
      settings: { jsonData: { proxyUrl: `http://127.0.0.1:${port}` }, secureJsonData: { readToken: 'r' } },
      ...extra,
    });
    servers.push(server);
    return server;
  }

  /** Loads a page (which signs in, as in server.ts) and returns the session cookie. */
  async function signIn(server: PreviewServer, query: string) {
    const page = await fetch(`${server.url}/a/flowkube-jobs-app/jobs?${query}`);
    await page.text();
    return page.headers.get('set-cookie')!.split(';')[0];
  }

  async function userHeaderSeen(server: PreviewServer, query: string) {
    const cookie = await signIn(server, query);
    const answer = await fetch(`${server.url}/api/plugin-proxy/flowkube-jobs-app/api/v1/jobs`, {
      headers: { cookie, 'X-Grafana-User': 'mallory' },
    });
    assert.equal(answer.status, 200);
    return seen.at(-1)!['x-grafana-user'];
  }

  it('drops a client-sent X-Grafana-User and, with send_user_header off (the default), sends none', async () => {
    const server = await start();
    assert.equal(await userHeaderSeen(server, 'role=Editor&login=alice'), undefined);
  });

  it('with send_user_header on, sends the signed-in login and never the client-sent one', async () => {
    const server = await start({ sendUserHeader: true });
    assert.equal(await userHeaderSeen(server, 'role=Editor&login=alice'), 'alice');
  });

  it('sends no user header for the anonymous user, even with send_user_header on', async () => {
    const server = await start({ sendUserHeader: true });
    assert.equal(await userHeaderSeen(server, 'role=Viewer&anonymous=true'), undefined);
  });

  it('passes the browser cookie on to no one and the route token along', async () => {
    const server = await start();
    await userHeaderSeen(server, 'role=Viewer');
    assert.equal(seen.at(-1)!.cookie, undefined);
    assert.equal(seen.at(-1)!.authorization, 'Bearer r');
  });

  it('streams a long answer whole: app routes have a dial timeout and no response timeout (pkg/api/plugin_proxy.go)', async () => {
    const server = await start({ dialTimeoutMs: 100 });
    const cookie = await signIn(server, 'role=Viewer');
    const answer = await fetch(`${server.url}/api/plugin-proxy/flowkube-jobs-app/api/slow/logs`, {
      headers: { cookie },
    });
    assert.equal(answer.status, 200);
    assert.equal(await answer.text(), 'first\nlast\n');
  });

  it("renews a valid session and refuses one it does not know, as backendSrv's 401 handling expects", async () => {
    const server = await start();
    const cookie = await signIn(server, 'role=Viewer');
    const rotate = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/user/auth-tokens/rotate`, { method: 'POST', headers }).then((r) => r.status);
    assert.equal(await rotate({ cookie }), 200);
    assert.equal(await rotate({}), 401);
    assert.equal((await fetch(`${server.url}/api/login/ping`, { headers: { cookie } })).status, 200);
    assert.deepEqual(
      server.renewals.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['POST /api/user/auth-tokens/rotate 200', 'POST /api/user/auth-tokens/rotate 401', 'GET /api/login/ping 200']
    );
  });
});
