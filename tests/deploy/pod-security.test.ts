// The shared `restricted` Pod Security check: its own unit tests, then applied to every Pod template that the base
// and each overlay render (real kustomize) and to the Pod the proxy renders for every template of the default catalog.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { V1PodSpec } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { templatesFromConfigMap } from '../../pkg-backend-proxy/src/catalog/configmap-source.ts';
import { parseCatalog } from '../../pkg-backend-proxy/src/catalog/load.ts';
import { validateParams } from '../../pkg-backend-proxy/src/catalog/params.ts';
import { renderPod } from '../../pkg-backend-proxy/src/catalog/render-pod.ts';
import { renderCronJob } from '../../pkg-backend-proxy/src/schedules/render-cronjob.ts';
import { checkRestricted } from '../support/pod-security.ts';
import { kustomizationDirs, kustomize } from './lib/kubectl-kustomize.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function compliant(): V1PodSpec {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image: 'example/app:1',
        ports: [{ containerPort: 8080 }],
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
      },
    ],
    volumes: [
      { name: 'tmp', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg' } },
      { name: 'tok', secret: { secretName: 'tok' } },
    ],
  };
}

// Each case breaks one rule of the profile; the check must name it.
const violations: Array<[string, (s: V1PodSpec) => void, RegExp]> = [
  ['hostNetwork', (s) => (s.hostNetwork = true), /spec\.hostNetwork must not be true/],
  ['hostPID', (s) => (s.hostPID = true), /spec\.hostPID must not be true/],
  ['hostIPC', (s) => (s.hostIPC = true), /spec\.hostIPC must not be true/],
  ['hostPath volume', (s) => s.volumes!.push({ name: 'h', hostPath: { path: '/' } }), /volume type hostPath/],
  ['nfs volume', (s) => s.volumes!.push({ name: 'n', nfs: { server: 'x', path: '/' } }), /volume type nfs/],
  ['hostPort', (s) => (s.containers[0]!.ports![0]!.hostPort = 80), /hostPort 80 is not allowed/],
  ['privileged', (s) => (s.containers[0]!.securityContext!.privileged = true), /privileged must not be true/],
  [
    'allowPrivilegeEscalation unset',
    (s) => delete s.containers[0]!.securityContext!.allowPrivilegeEscalation,
    /allowPrivilegeEscalation must be false/,
  ],
  [
    'capabilities not dropped',
    (s) => (s.containers[0]!.securityContext!.capabilities = { drop: ['NET_RAW'] }),
    /capabilities\.drop must include ALL/,
  ],
  [
    'capability added',
    (s) => (s.containers[0]!.securityContext!.capabilities!.add = ['SYS_ADMIN']),
    /capabilities\.add: SYS_ADMIN is not allowed/,
  ],
  ['runAsNonRoot missing', (s) => delete s.securityContext!.runAsNonRoot, /runAsNonRoot must be true/],
  [
    'container overrides runAsNonRoot',
    (s) => (s.containers[0]!.securityContext!.runAsNonRoot = false),
    /runAsNonRoot must be true/,
  ],
  ['pod runAsUser 0', (s) => (s.securityContext!.runAsUser = 0), /spec\.securityContext\.runAsUser must not be 0/],
  ['container runAsUser 0', (s) => (s.containers[0]!.securityContext!.runAsUser = 0), /\)\.securityContext\.runAsUser/],
  ['seccomp missing', (s) => delete s.securityContext!.seccompProfile, /seccompProfile\.type must be set/],
  [
    'seccomp Unconfined',
    (s) => (s.containers[0]!.securityContext!.seccompProfile = { type: 'Unconfined' }),
    /must be RuntimeDefault or Localhost, not Unconfined/,
  ],
  [
    'unsafe sysctl',
    (s) => (s.securityContext!.sysctls = [{ name: 'kernel.msgmax', value: '1' }]),
    /kernel\.msgmax is not a safe sysctl/,
  ],
  ['procMount', (s) => (s.containers[0]!.securityContext!.procMount = 'Unmasked'), /procMount must be Default/],
  [
    'init container breaks the rules too',
    (s) => (s.initContainers = [{ name: 'init', image: 'x', securityContext: {} }]),
    /initContainers\[0\]\(init\)\.securityContext\.allowPrivilegeEscalation/,
  ],
];

describe('checkRestricted', () => {
  test('a compliant Pod spec passes', () => {
    assert.deepEqual(checkRestricted(compliant()), []);
  });

  test('NET_BIND_SERVICE is the one capability that may be added', () => {
    const spec = compliant();
    spec.containers[0]!.securityContext!.capabilities!.add = ['NET_BIND_SERVICE'];
    assert.deepEqual(checkRestricted(spec), []);
  });

  test('container-level seccomp and runAsNonRoot satisfy the profile without pod-level ones', () => {
    const spec = compliant();
    spec.securityContext = {};
    spec.containers[0]!.securityContext = {
      ...spec.containers[0]!.securityContext,
      runAsNonRoot: true,
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/x.json' },
    };
    assert.deepEqual(checkRestricted(spec), []);
  });

  for (const [name, breakIt, expected] of violations) {
    test(`reports: ${name}`, () => {
      const spec = compliant();
      breakIt(spec);
      const problems = checkRestricted(spec);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `expected a problem matching ${expected}, got ${JSON.stringify(problems)}`
      );
    });
  }
});

describe('FlowKube Pods pass the restricted profile', () => {
  for (const dir of kustomizationDirs(root)) {
    test(`every Pod template ${dir} renders passes restricted`, () => {
      const objects = kustomize(join(root, dir));
      const pods = objects.flatMap((o) => {
        const spec = o.spec as {
          template?: { spec?: V1PodSpec };
          jobTemplate?: { spec: { template: { spec: V1PodSpec } } };
        };
        const pod =
          o.kind === 'Pod' ? (o.spec as V1PodSpec) : (spec?.template?.spec ?? spec?.jobTemplate?.spec.template.spec);
        return pod ? [{ name: `${o.kind}/${o.metadata?.name}`, pod }] : [];
      });
      // Only the compose overlay runs no Pod in the cluster (its proxy is a compose service).
      if (dir !== 'k8s/overlays/compose') {
        assert.ok(
          pods.some((p) => p.name === 'Deployment/flowkube-proxy'),
          `${dir} has no proxy Deployment`
        );
      }
      assert.deepEqual(
        pods.flatMap((p) => checkRestricted(p.pod).map((problem) => `${p.name}: ${problem}`)),
        []
      );
    });
  }

  const catalogFile = join(root, 'pkg-backend-proxy', 'catalog', 'default.yaml');
  const catalog = parseCatalog(readFileSync(catalogFile, 'utf8'), catalogFile);
  // and every template of the example catalog ConfigMaps an admin may kubectl apply
  const examples = join(root, 'k8s', 'examples');
  const fromConfigMaps = readdirSync(examples)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(examples, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o?.kind === 'ConfigMap' && o.metadata?.labels?.['flowkube.io/catalog'] === 'true')
    .flatMap((cm) => templatesFromConfigMap(cm));
  test('the example catalog ConfigMaps load without problems', () => {
    assert.ok(fromConfigMaps.length > 0);
    assert.deepEqual(
      fromConfigMaps.flatMap((t) => t.problems.map((p) => `${t.id}: ${p.field} ${p.message}`)),
      []
    );
  });
  for (const template of [...catalog.templates, ...fromConfigMaps.flatMap((t) => (t.template ? [t.template] : []))]) {
    test(`the Pod the proxy renders for template ${template.id}`, () => {
      const defaults = validateParams(template, {});
      assert.ok(defaults.ok);
      const pod = renderPod({
        template,
        params: defaults.values,
        name: `${template.id}-abcde`,
        namespace: 'flowkube-jobs',
        launchedBy: 'admin',
        requestHash: 'hash',
        launchId: 'launch',
      });
      assert.equal(pod.metadata?.namespace, 'flowkube-jobs');
      assert.deepEqual(checkRestricted(pod.spec!), []);
    });
    test(`the Pod template of a schedule's CronJob for template ${template.id}`, () => {
      const defaults = validateParams(template, {});
      assert.ok(defaults.ok);
      const cronJob = renderCronJob({
        template,
        params: defaults.values,
        name: `${template.id}-bcdfghjklm`,
        namespace: 'flowkube-jobs',
        createdBy: 'admin',
        schedule: '0 2 * * *',
        timeZone: 'UTC',
        suspend: false,
        concurrencyPolicy: 'Forbid',
        retentionSeconds: 3600,
      });
      assert.deepEqual(checkRestricted(cronJob.spec!.jobTemplate.spec!.template.spec!), []);
    });
  }
});
