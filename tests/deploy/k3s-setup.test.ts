// deploy/compose/k3s-setup.sh runs for real (under /bin/sh, as in the busybox of the k3s image) against a stand-in for
// the cluster side of its kubectl calls (fixtures/fake-kubectl.cjs; `apply -k` renders with the real kubectl
// kustomize): it must apply the compose overlay through k3s' service name, wait for the token controller, and write
// credentials that parse and carry the right values.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { kubectlPath } from './lib/kubectl-kustomize.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const realKubectl = kubectlPath();

describe('deploy/compose/k3s-setup.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowkube-k3s-setup-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs k3s-setup.sh against the stand-in; `env` overrides the defaults (credentials into `creds`). */
  const runSetup = (env: Record<string, string> = {}) =>
    execFileSync('sh', [join(root, 'deploy/compose/k3s-setup.sh')], {
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
        ADMIN_KUBECONFIG: join(dir, 'k3s.yaml'),
        MANIFESTS: join(root, 'k8s'),
        FLOWKUBE_CREDS_DIR: join(dir, 'creds'),
        TMPDIR: dir,
        FAKE_KUBE_STATE: join(dir, 'state.json'),
        FAKE_KUBE_LOG: join(dir, 'calls.log'),
        FAKE_KUBE_REAL_KUBECTL: realKubectl,
        MONITORING_NAMESPACE: join(root, 'monitoring', '00-namespace.yaml'),
        ...env,
      },
      stdio: 'pipe',
    });
  /** The script exits non-zero and says `message` on stderr. */
  const failsWith = (env: Record<string, string>, message: RegExp) =>
    assert.throws(
      () => runSetup(env),
      (error: { stderr?: Buffer }) => message.test(String(error.stderr))
    );

  const CA = '-----BEGIN CERTIFICATE-----\nserver-ca\n-----END CERTIFICATE-----\n';
  const setup = () => {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      join(dir, 'bin', 'kubectl'),
      `#!/bin/sh\nexec node ${join(root, 'tests/deploy/fixtures/fake-kubectl.cjs')} "$@"\n`
    );
    chmodSync(join(dir, 'bin', 'kubectl'), 0o755);
    // What k3s writes: a kubeconfig for 127.0.0.1 with the admin client certificate.
    writeFileSync(
      join(dir, 'k3s.yaml'),
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'default', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(CA) } },
        ],
        users: [
          {
            name: 'default',
            user: { 'client-certificate-data': b64('ADMIN CERT'), 'client-key-data': b64('ADMIN KEY') },
          },
        ],
        contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
        'current-context': 'default',
      })
    );
    const secret = (token: string) => ({ data: { token: b64(token), 'ca.crt': b64(CA) } });
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({
        secrets: {
          'flowkube-admin/flowkube-proxy-token': secret('proxy-sa-token'),
          'flowkube-monitoring/fluent-bit-token': secret('fluent-bit-sa-token'),
          'flowkube-monitoring/kube-state-metrics-token': secret('ksm-sa-token'),
        },
        // The token controller has not filled the proxy's token for the first two reads.
        pendingReads: { 'flowkube-admin/flowkube-proxy-token': 2 },
      })
    );
    writeFileSync(join(dir, 'calls.log'), '');
    const out = join(dir, 'creds');
    runSetup();
    const calls = readFileSync(join(dir, 'calls.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { args: string[]; server: string });
    return { out, calls };
  };
  const { out, calls } = setup();

  test('applies k8s/overlays/compose through https://k3s:6443, not the 127.0.0.1 k3s wrote', () => {
    const apply = calls.find((c) => c.args[0] === 'apply' && c.args[1] === '-k')!;
    assert.deepEqual(apply.args, ['apply', '-k', join(root, 'k8s', 'overlays', 'compose')]);
    assert.ok(calls.every((c) => c.server === 'https://k3s:6443'));
  });

  test('creates flowkube-monitoring from monitoring/00-namespace.yaml before the overlay that puts ServiceAccounts there', () => {
    const applies = calls.filter((c) => c.args[0] === 'apply').map((c) => c.args.join(' '));
    assert.deepEqual(applies, [
      `apply -f ${join(root, 'monitoring', '00-namespace.yaml')}`,
      `apply -k ${join(root, 'k8s', 'overlays', 'compose')}`,
    ]);
  });

  test('without that namespace the overlay is refused and the script stops', () => {
    writeFileSync(join(dir, 'state-no-ns.json'), JSON.stringify({ secrets: {}, pendingReads: {} }));
    writeFileSync(join(dir, 'calls-no-ns.log'), '');
    failsWith(
      {
        FLOWKUBE_CREDS_DIR: join(dir, 'creds-no-ns'),
        FAKE_KUBE_STATE: join(dir, 'state-no-ns.json'),
        FAKE_KUBE_LOG: join(dir, 'calls-no-ns.log'),
        MONITORING_NAMESPACE: '/dev/null',
      },
      /namespaces "flowkube-monitoring" not found/
    );
  });

  test('the Secrets it reads are the ones the compose overlay applied', () => {
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      applied: Array<{ kind: string; namespace: string; name: string }>;
    };
    const secrets = state.applied.filter((o) => o.kind === 'Secret').map((o) => `${o.namespace}/${o.name}`);
    assert.deepEqual(secrets.sort(), [
      'flowkube-admin/flowkube-proxy-token',
      'flowkube-monitoring/fluent-bit-token',
      'flowkube-monitoring/kube-state-metrics-token',
    ]);
  });

  test('exits non-zero with the kustomize error when the overlay does not render (the old overlay-inside-base layout)', () => {
    const manifests = join(dir, 'old-layout');
    const kustomization = (resources: string[]) =>
      stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
    mkdirSync(join(manifests, 'overlays', 'compose'), { recursive: true });
    writeFileSync(join(manifests, 'kustomization.yaml'), kustomization(['ns.yaml']));
    writeFileSync(
      join(manifests, 'ns.yaml'),
      stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })
    );
    writeFileSync(join(manifests, 'overlays', 'compose', 'kustomization.yaml'), kustomization(['../..']));
    failsWith({ MANIFESTS: manifests, FLOWKUBE_CREDS_DIR: join(dir, 'creds-old-layout') }, /cycle detected/);
    assert.equal(existsSync(join(dir, 'creds-old-layout')), false, 'no credentials after a failed apply');
  });

  test('waits for the token controller before writing the proxy kubeconfig', () => {
    const reads = calls.filter(
      (c) => c.args.includes('flowkube-proxy-token') && c.args.includes('jsonpath={.data.token}')
    );
    assert.ok(reads.length >= 3, `the token was read ${reads.length} times`);
  });

  test('the proxy and kube-state-metrics get ServiceAccount kubeconfigs for k3s', () => {
    for (const [file, token, user] of [
      ['proxy/kubeconfig', 'proxy-sa-token', 'flowkube-proxy'],
      ['kube-state-metrics/kubeconfig', 'ksm-sa-token', 'kube-state-metrics'],
    ] as const) {
      const config = parse(readFileSync(join(out, file), 'utf8')) as {
        clusters: Array<{ cluster: Record<string, string> }>;
        users: Array<{ name: string; user: { token: string } }>;
        'current-context': string;
        contexts: Array<{ name: string; context: { namespace: string } }>;
      };
      assert.equal(config.clusters[0]!.cluster.server, 'https://k3s:6443');
      assert.equal(Buffer.from(config.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString(), CA);
      assert.deepEqual(config.users[0], { name: user, user: { token } });
      assert.equal(
        config.contexts.find((c) => c.name === config['current-context'])?.context.namespace,
        'flowkube-jobs'
      );
    }
  });

  test('Fluent Bit gets its token and CA, Prometheus the admin client certificate, all readable by non-root users', () => {
    assert.equal(readFileSync(join(out, 'fluent-bit/token'), 'utf8'), 'fluent-bit-sa-token');
    assert.equal(readFileSync(join(out, 'fluent-bit/ca.crt'), 'utf8'), CA);
    assert.equal(readFileSync(join(out, 'prometheus/client.crt'), 'utf8'), 'ADMIN CERT');
    assert.equal(readFileSync(join(out, 'prometheus/client.key'), 'utf8'), 'ADMIN KEY');
    for (const file of ['proxy/kubeconfig', 'fluent-bit/token', 'prometheus/client.key']) {
      assert.equal(statSync(join(out, file)).mode & 0o777, 0o644, file);
    }
  });

  test('gives up with a clear message when a token never appears', () => {
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { pendingReads: Record<string, number> };
    state.pendingReads['flowkube-monitoring/fluent-bit-token'] = 1_000;
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
    // The real wait is 60 polls a second apart; here 3, and `sleep` returns at once.
    writeFileSync(join(dir, 'bin', 'sleep'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'bin', 'sleep'), 0o755);
    failsWith(
      { FLOWKUBE_CREDS_DIR: join(dir, 'creds2'), TOKEN_WAIT_SECONDS: '3' },
      /token of Secret flowkube-monitoring\/fluent-bit-token was not filled within 3 s/
    );
  });
});
