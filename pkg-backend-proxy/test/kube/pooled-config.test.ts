import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api, HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { PooledKubeConfig, pooledKubeConfig, sameOptions } from '../../src/kube/pooled-config.ts';
import { type Built, build, read } from '../helper.ts';

let t: Built;
let dir: string;
let cert: Buffer;
let tls: Server;
let tlsUrl: string;
let tlsConnections = 0;
const authSeen: Array<string | undefined> = [];

before(async () => {
  t = await build();
  dir = mkdtempSync(join(tmpdir(), 'flowkube-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' }); // prettier-ignore
  cert = readFileSync(join(dir, 'cert.pem'));
  tls = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    authSeen.push(req.headers.authorization);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }));
  });
  tls.on('connection', () => {
    tlsConnections += 1;
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
});

after(async () => {
  await t.close();
  tls.closeAllConnections();
  await new Promise((resolve) => tls.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function tlsConfig(cluster: { caData?: string; skipTLSVerify?: boolean }): PooledKubeConfig {
  const kc = new PooledKubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'tls', server: tlsUrl, ...cluster }],
    users: [{ name: 'u', token: 'tls-token' }],
    contexts: [{ name: 'tls', cluster: 'tls', user: 'u' }],
    currentContext: 'tls',
  });
  return kc;
}

async function listPods(kc: KubeConfig, times: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  for (let i = 0; i < times; i++) {
    await core.listNamespacedPod({ namespace: 'flowkube-jobs' });
  }
}

test("sequential Kubernetes calls through the proxy's client reuse connections instead of opening one each", async () => {
  const before = t.fake.connections();
  const gets = t.fake.requestCount('get');
  // ids the cache does not hold: each request reads the Pod from Kubernetes (and gets its 404)
  for (let i = 0; i < 20; i++) {
    const res = await t.app.inject({ url: `/api/v1/jobs/basic-absent-${i}`, headers: read });
    assert.equal(res.statusCode, 404, res.body);
  }
  assert.equal(t.fake.requestCount('get') - gets, 20, 'every request reached the fake');
  const opened = t.fake.connections() - before;
  assert.ok(opened <= 2, `20 sequential calls opened ${opened} connections`);
});

test('client-node alone opens a connection per call (what the pooled config fixes)', async () => {
  const plain = new KubeConfig();
  plain.loadFromOptions(t.fake.kubeConfigOptions());
  const before = t.fake.connections();
  await listPods(plain, 5);
  assert.equal(t.fake.connections() - before, 5);
});

test('TLS: the CA from the kubeconfig verifies the server, the token is sent, connections are reused', async () => {
  const kc = tlsConfig({ caData: cert.toString('base64') });
  const before = tlsConnections;
  authSeen.length = 0;
  await listPods(kc, 10);
  // undici may open a second connection while the first is still being released, never one per call
  assert.ok(tlsConnections - before <= 2, `10 calls opened ${tlsConnections - before} TLS connections`);
  assert.deepEqual(authSeen, Array(10).fill('Bearer tls-token'));
  await kc.close();
});

test('TLS: without the CA the self-signed server is refused; skipTLSVerify accepts it', async () => {
  await assert.rejects(listPods(tlsConfig({}), 1), (err: Error) => /fetch failed|certificate/i.test(String(err)));
  const skip = tlsConfig({ skipTLSVerify: true });
  await listPods(skip, 2);
  await skip.close();
});

test('every request gets the same dispatcher and the headers client-node sets; new TLS material gets a new one', async () => {
  const kc = tlsConfig({ caData: cert.toString('base64') });
  const plain = new KubeConfig();
  plain.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  const context = async (config: KubeConfig) => {
    const ctx = new RequestContext(`${tlsUrl}/api/v1/pods`, HttpMethod.GET);
    await config.applySecurityAuthentication(ctx);
    return ctx;
  };
  const [a, b, c] = [await context(kc), await context(kc), await context(plain)];
  assert.ok(a.getDispatcher());
  assert.equal(a.getDispatcher(), b.getDispatcher());
  assert.deepEqual(a.getHeaders(), c.getHeaders());
  assert.notEqual((await context(plain)).getDispatcher(), c.getDispatcher(), 'client-node builds one per request');

  // a rotated CA, as when the in-cluster ca.crt is replaced
  (kc.getCurrentCluster() as { caData?: string }).caData = Buffer.from('another CA').toString('base64');
  assert.notEqual((await context(kc)).getDispatcher(), a.getDispatcher());
  await kc.close();
});

test('pooledKubeConfig copies clusters, users and contexts, and keeps a pooled config as it is', () => {
  const plain = new KubeConfig();
  plain.loadFromOptions(t.fake.kubeConfigOptions());
  const pooled = pooledKubeConfig(plain);
  assert.ok(pooled instanceof PooledKubeConfig);
  assert.deepEqual(pooled.getCurrentCluster(), plain.getCurrentCluster());
  assert.deepEqual(pooled.getCurrentUser(), plain.getCurrentUser());
  assert.equal(pooledKubeConfig(pooled), pooled);
});

test('sameOptions compares Buffers by content and ignores undefined fields', () => {
  assert.ok(sameOptions({ ca: Buffer.from('x'), k: undefined }, { ca: Buffer.from('x') }));
  assert.ok(!sameOptions({ ca: Buffer.from('x') }, { ca: Buffer.from('y') }));
  assert.ok(!sameOptions({ connect: { rejectUnauthorized: false } }, { connect: { rejectUnauthorized: true } }));
  assert.ok(!sameOptions({ ca: 'x' }, { ca: Buffer.from('x') }));
});
