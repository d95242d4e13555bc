import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CATALOG, loadConfig } from '../src/config.ts';

const READ = 'read-token-0123456789';
const LAUNCH = 'launch-token-0123456789';
const base = { FLOWKUBE_READ_TOKEN: READ, FLOWKUBE_LAUNCH_TOKEN: LAUNCH };
const noFiles = (p: string): string => {
  throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
};

test('defaults fill everything but the tokens', () => {
  const c = loadConfig(base, noFiles);
  assert.deepEqual(c, {
    port: 8080,
    host: '0.0.0.0',
    kubeconfig: undefined,
    namespace: 'flowkube-jobs',
    catalogPath: DEFAULT_CATALOG,
    readToken: READ,
    launchToken: LAUNCH,
    retentionSeconds: 3600,
    maxActive: 50,
    maxSchedules: 100,
    kubeTimeoutMs: 10_000,
    watchStaleSeconds: 60,
    maxLogStreams: 200,
    maxLogStreamsPerUser: 10,
    auditFile: undefined,
    logLevel: 'info',
  });
  assert.match(DEFAULT_CATALOG, /pkg-backend-proxy\/catalog\/default\.yaml$/);
});

test('values are read and typed', () => {
  const c = loadConfig(
    {
      ...base,
      PORT: '9090',
      HOST: '127.0.0.1',
      KUBECONFIG: '/tmp/kc',
      FLOWKUBE_NAMESPACE: 'jobs',
      FLOWKUBE_CATALOG: '/etc/c.yaml',
      FLOWKUBE_RETENTION_SECONDS: '120',
      FLOWKUBE_MAX_ACTIVE: '3',
      FLOWKUBE_KUBE_TIMEOUT_MS: '2500',
      FLOWKUBE_WATCH_STALE_SECONDS: '30',
      FLOWKUBE_MAX_LOG_STREAMS: '40',
      FLOWKUBE_MAX_LOG_STREAMS_PER_USER: '4',
      FLOWKUBE_AUDIT_FILE: '/var/log/flowkube/audit.log',
    },
    noFiles
  );
  assert.deepEqual([c.kubeTimeoutMs, c.watchStaleSeconds, c.maxLogStreams, c.maxLogStreamsPerUser], [2500, 30, 40, 4]);
  assert.equal(c.port, 9090);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.kubeconfig, '/tmp/kc');
  assert.equal(c.namespace, 'jobs');
  assert.equal(c.catalogPath, '/etc/c.yaml');
  assert.equal(c.retentionSeconds, 120);
  assert.equal(c.maxActive, 3);
  assert.equal(c.auditFile, '/var/log/flowkube/audit.log');
});

const bad: Array<[string, Record<string, string>, RegExp]> = [
  ['PORT', { PORT: 'http' }, /^PORT must be a whole number/],
  ['PORT', { PORT: '70000' }, /^PORT must be <= 65535/],
  ['FLOWKUBE_NAMESPACE', { FLOWKUBE_NAMESPACE: 'Bad_NS' }, /^FLOWKUBE_NAMESPACE must match pattern/],
  ['FLOWKUBE_RETENTION_SECONDS', { FLOWKUBE_RETENTION_SECONDS: '-1' }, /^FLOWKUBE_RETENTION_SECONDS must be a whole/],
  ['FLOWKUBE_RETENTION_SECONDS', { FLOWKUBE_RETENTION_SECONDS: '5' }, /^FLOWKUBE_RETENTION_SECONDS must be >= 60/],
  ['FLOWKUBE_MAX_ACTIVE', { FLOWKUBE_MAX_ACTIVE: '0' }, /^FLOWKUBE_MAX_ACTIVE must be >= 1/],
  ['FLOWKUBE_MAX_ACTIVE', { FLOWKUBE_MAX_ACTIVE: '2.5' }, /^FLOWKUBE_MAX_ACTIVE must be a whole number/],
  ['FLOWKUBE_KUBE_TIMEOUT_MS', { FLOWKUBE_KUBE_TIMEOUT_MS: '0' }, /^FLOWKUBE_KUBE_TIMEOUT_MS must be >= 100/],
  ['FLOWKUBE_KUBE_TIMEOUT_MS', { FLOWKUBE_KUBE_TIMEOUT_MS: '10s' }, /^FLOWKUBE_KUBE_TIMEOUT_MS must be a whole/],
  ['FLOWKUBE_WATCH_STALE_SECONDS', { FLOWKUBE_WATCH_STALE_SECONDS: '1' }, /^FLOWKUBE_WATCH_STALE_SECONDS must be >= 5/],
  ['FLOWKUBE_MAX_LOG_STREAMS', { FLOWKUBE_MAX_LOG_STREAMS: '0' }, /^FLOWKUBE_MAX_LOG_STREAMS must be >= 1/],
  [
    'FLOWKUBE_MAX_LOG_STREAMS_PER_USER',
    { FLOWKUBE_MAX_LOG_STREAMS_PER_USER: 'x' },
    /^FLOWKUBE_MAX_LOG_STREAMS_PER_USER must be a whole/,
  ],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL /],
  ['FLOWKUBE_READ_TOKEN', { FLOWKUBE_READ_TOKEN: 'short' }, /^FLOWKUBE_READ_TOKEN must NOT have fewer than 16/],
  [
    'FLOWKUBE_LAUNCH_TOKEN',
    { FLOWKUBE_LAUNCH_TOKEN: 'has spaces in the token' },
    /^FLOWKUBE_LAUNCH_TOKEN must be printable/,
  ],
];
for (const [name, env, expected] of bad) {
  test(`a bad ${name} stops start-up with one line naming it: ${JSON.stringify(env)}`, () => {
    assert.throws(
      () => loadConfig({ ...base, ...env }, noFiles),
      (err: Error) => expected.test(err.message) && !err.message.includes('\n')
    );
  });
}

test('a missing token names the variable and its _FILE variant', () => {
  assert.throws(() => loadConfig({ FLOWKUBE_LAUNCH_TOKEN: LAUNCH }, noFiles), {
    message: 'FLOWKUBE_READ_TOKEN is required (or FLOWKUBE_READ_TOKEN_FILE)',
  });
  assert.throws(() => loadConfig({ FLOWKUBE_READ_TOKEN: READ }, noFiles), {
    message: /^FLOWKUBE_LAUNCH_TOKEN is required/,
  });
});

test('secret values never appear in error messages', () => {
  const secret = 'tiny\tsecret';
  assert.throws(
    () => loadConfig({ ...base, FLOWKUBE_READ_TOKEN: secret }, noFiles),
    (err: Error) => err.message.startsWith('FLOWKUBE_READ_TOKEN') && !err.message.includes('tiny')
  );
});

test('the two tokens must differ', () => {
  assert.throws(() => loadConfig({ FLOWKUBE_READ_TOKEN: READ, FLOWKUBE_LAUNCH_TOKEN: READ }, noFiles), {
    message: /^FLOWKUBE_LAUNCH_TOKEN must differ from FLOWKUBE_READ_TOKEN/,
  });
});

test('*_FILE variants read the token from a file, without its trailing newline', () => {
  const files: Record<string, string> = { '/run/read': `${READ}\n`, '/run/launch': LAUNCH };
  const c = loadConfig({ FLOWKUBE_READ_TOKEN_FILE: '/run/read', FLOWKUBE_LAUNCH_TOKEN_FILE: '/run/launch' }, (p) => {
    return files[p] ?? noFiles(p);
  });
  assert.equal(c.readToken, READ);
  assert.equal(c.launchToken, LAUNCH);
});

test('an unreadable *_FILE names the _FILE variable', () => {
  assert.throws(() => loadConfig({ FLOWKUBE_READ_TOKEN_FILE: '/nope', FLOWKUBE_LAUNCH_TOKEN: LAUNCH }, noFiles), {
    message: 'FLOWKUBE_READ_TOKEN_FILE: cannot read /nope (ENOENT)',
  });
});

test('a token and its _FILE variant together are refused', () => {
  assert.throws(() => loadConfig({ ...base, FLOWKUBE_LAUNCH_TOKEN_FILE: '/run/launch' }, () => LAUNCH), {
    message: /^FLOWKUBE_LAUNCH_TOKEN and FLOWKUBE_LAUNCH_TOKEN_FILE are both set/,
  });
});
