// Every YAML under k8s/ parses; every Kubernetes object in it, and in each rendered kustomization, validates against
// the Kubernetes schemas with unknown fields rejected; the base and every overlay render with the real kustomize
// (`kubectl kustomize`, lib/kubectl-kustomize.ts), the renderer `kubectl apply -k` and k3s-setup.sh use.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { type KubeObject, unknownFieldErrors, validateObject } from './lib/k8s-schema.ts';
import { findObject, kubectlPath, kustomizationDirs, kustomize, parseYamlFile } from './lib/kubectl-kustomize.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const k8sDir = join(root, 'k8s');
const KUSTOMIZATIONS = kustomizationDirs(root);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []
  );
}

function isKubeObject(doc: unknown): doc is KubeObject {
  const o = doc as Partial<KubeObject> | null;
  return typeof o?.apiVersion === 'string' && typeof o.kind === 'string' && o.kind !== 'Kustomization';
}

const files = yamlFiles(k8sDir);

describe('k8s/ YAML files', () => {
  test('there are manifests to check, the base and at least two overlays', () => {
    assert.deepEqual(KUSTOMIZATIONS.slice(0, 1), ['k8s/base']);
    assert.ok(KUSTOMIZATIONS.length >= 3, KUSTOMIZATIONS.join(', '));
    assert.ok(files.length >= 8, `only ${files.length} YAML files under k8s/`);
  });

  for (const file of files) {
    const name = relative(root, file);
    test(`${name} parses and its Kubernetes objects validate`, async () => {
      const docs = parseYamlFile(file);
      assert.ok(docs.length > 0, `${name} is empty`);
      const errors = (await Promise.all(docs.filter(isKubeObject).map(validateObject))).flat();
      assert.deepEqual(errors, []);
    });
  }
});

describe('kustomizations render and validate', () => {
  for (const dir of KUSTOMIZATIONS) {
    test(`${dir} renders to valid objects with unique names`, async () => {
      const objects = kustomize(join(root, dir));
      assert.ok(objects.length > 0);
      const errors = (await Promise.all(objects.map(validateObject))).flat();
      assert.deepEqual(errors, []);
      const ids = objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
      assert.deepEqual(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        [],
        'duplicate objects'
      );
    });
  }

  test('the base has every object the stack relies on, with the agreed names', () => {
    const objects = kustomize(join(k8sDir, 'base'));
    for (const ns of ['flowkube-admin', 'flowkube-jobs']) {
      findObject(objects, 'Namespace', ns);
    }
    const jobsNs = findObject(objects, 'Namespace', 'flowkube-jobs');
    assert.equal(
      jobsNs.metadata?.labels &&
        (jobsNs.metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce'],
      'restricted'
    );
    const service = findObject(objects, 'Service', 'flowkube-proxy');
    assert.deepEqual((service.spec as { ports: unknown[] }).ports, [
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
    ]);
    findObject(objects, 'ServiceAccount', 'flowkube-proxy');
    findObject(objects, 'PodDisruptionBudget', 'flowkube-proxy');
    findObject(objects, 'ResourceQuota', 'flowkube-jobs');
    findObject(objects, 'LimitRange', 'flowkube-jobs');
    // The generator appends a content hash to the name and rewrites the Deployment's reference to it, so an edited
    // catalog rolls the proxy.
    const catalogs = objects.filter(
      (o) => o.kind === 'ConfigMap' && /^flowkube-catalog-[a-z0-9]{10}$/.test(o.metadata!.name!)
    );
    assert.equal(catalogs.length, 1);
    assert.ok((catalogs[0]!.data as Record<string, string>)['catalog.yaml']?.includes('templates:'));
    const volumes = (
      findObject(objects, 'Deployment', 'flowkube-proxy').spec as {
        template: { spec: { volumes: Array<{ configMap?: { name: string } }> } };
      }
    ).template.spec.volumes;
    assert.ok(volumes.some((v) => v.configMap?.name === catalogs[0]!.metadata!.name));
    assert.equal(
      objects.filter((o) => o.kind === 'Secret').length,
      0,
      'the base must not ship a Secret: tokens are created by the operator (secret.example.yaml)'
    );
  });

  // `kubectl delete -k DIR` deletes every object DIR renders: a rendered flowkube-monitoring Namespace would take
  // Loki, Prometheus and Grafana (and their data) with it.
  for (const dir of KUSTOMIZATIONS) {
    test(`${dir} renders only FlowKube's own namespaces, never flowkube-monitoring`, () => {
      const namespaces = kustomize(join(root, dir))
        .filter((o) => o.kind === 'Namespace')
        .map((o) => o.metadata?.name);
      assert.deepEqual(namespaces.sort(), ['flowkube-admin', 'flowkube-jobs']);
    });
  }

  // Objects in flowkube-monitoring belong to the Helm releases of monitoring/README.md; a manifest overwriting one
  // (as k8s/fluent-bit-fix.yaml once did with loki-stack's Fluent Bit ConfigMap) is undone by the next helm upgrade.
  // Only the compose overlay puts its own ServiceAccounts and token Secrets there, in a k3s without those releases.
  test('no manifest under k8s/ outside overlays/compose puts an object into flowkube-monitoring', () => {
    const offenders = files
      .filter((f) => !relative(k8sDir, f).startsWith('overlays/compose/'))
      .flatMap((f) => parseYamlFile(f).map((d) => ({ f: relative(root, f), d: d as Partial<KubeObject> })))
      .filter(({ d }) => d.metadata?.namespace === 'flowkube-monitoring')
      .map(({ f, d }) => `${f}: ${d.kind}/${d.metadata?.name}`);
    assert.deepEqual(offenders, []);
  });

  test('monitoring/00-namespace.yaml creates flowkube-monitoring at Pod Security privileged (hostPath for Fluent Bit, node-exporter)', async () => {
    const docs = parseYamlFile(join(root, 'monitoring', '00-namespace.yaml')) as KubeObject[];
    assert.equal(docs.length, 1);
    const ns = docs[0]!;
    assert.deepEqual([ns.kind, ns.metadata?.name], ['Namespace', 'flowkube-monitoring']);
    assert.deepEqual(await validateObject(ns), []);
    const labels = ns.metadata?.labels as Record<string, string>;
    for (const mode of ['enforce', 'audit', 'warn']) {
      assert.equal(labels[`pod-security.kubernetes.io/${mode}`], 'privileged', mode);
    }
  });

  test('the local overlay runs one replica of locally built images', () => {
    const objects = kustomize(join(root, 'k8s/overlays/local'));
    const deployment = findObject(objects, 'Deployment', 'flowkube-proxy');
    const spec = deployment.spec as {
      replicas: number;
      template: { spec: { containers: Array<Record<string, unknown>> } };
    };
    assert.equal(spec.replicas, 1);
    assert.equal(spec.template.spec.containers[0]!.image, 'flowkube/proxy:0.1.0');
    assert.equal(spec.template.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
    // the base itself is untouched by rendering the overlay
    const base = findObject(kustomize(join(k8sDir, 'base')), 'Deployment', 'flowkube-proxy');
    assert.equal((base.spec as { replicas: number }).replicas, 2);
  });

  test('the compose overlay drops the in-cluster proxy and keeps the rest of the base', () => {
    const objects = kustomize(join(root, 'k8s/overlays/compose'));
    assert.equal(objects.filter((o) => o.kind === 'Deployment').length, 0);
    assert.equal(objects.filter((o) => o.kind === 'Service').length, 0);
    findObject(objects, 'Role', 'flowkube-proxy');
    findObject(objects, 'ResourceQuota', 'flowkube-jobs');
    findObject(objects, 'NetworkPolicy', 'deny-all-ingress');
    const token = findObject(objects, 'Secret', 'flowkube-proxy-token');
    assert.equal(token.type, 'kubernetes.io/service-account-token');
  });
});

describe('the checks themselves catch mistakes', () => {
  const deployment = (): KubeObject =>
    structuredClone(findObject(kustomize(join(k8sDir, 'base')), 'Deployment', 'flowkube-proxy'));

  test('a misspelled field is reported with its path', async () => {
    const broken = deployment();
    const container = (broken.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template
      .spec.containers[0]!;
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    const errors = await validateObject(broken);
    assert.ok(
      errors.some((e) => e.includes('spec.template.spec.containers[0].readinesProbe: unknown field')),
      JSON.stringify(errors)
    );
  });

  test('an unknown field deep inside a map value type is reported', () => {
    const broken = deployment();
    const spec = (broken.spec as { template: { spec: { securityContext: Record<string, unknown> } } }).template.spec;
    (spec.securityContext.seccompProfile as Record<string, unknown>).typo = true;
    assert.ok(unknownFieldErrors(broken).some((e) => e.includes('seccompProfile.typo: unknown field')));
  });

  test('a bad enum value is reported (kubernetes-models layer)', async () => {
    const broken = deployment();
    const container = (broken.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template
      .spec.containers[0]!;
    container.imagePullPolicy = 'Sometimes';
    const errors = await validateObject(broken);
    assert.ok(
      errors.some((e) => e.includes('imagePullPolicy')),
      JSON.stringify(errors)
    );
  });

  test('a wrong JSON type is reported', () => {
    const broken = deployment();
    (broken.spec as Record<string, unknown>).replicas = 'two';
    assert.ok(unknownFieldErrors(broken).some((e) => e.includes('spec.replicas: expected a number')));
  });

  test('the old layout, an overlay inside the base it points at, is refused (what broke docker compose up)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowkube-kustomize-'));
    try {
      const kustomization = (resources: string[]) =>
        stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
      writeFileSync(join(dir, 'kustomization.yaml'), kustomization(['ns.yaml']));
      writeFileSync(join(dir, 'ns.yaml'), stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }));
      mkdirSync(join(dir, 'overlays', 'compose'), { recursive: true });
      writeFileSync(join(dir, 'overlays', 'compose', 'kustomization.yaml'), kustomization(['../..']));
      assert.throws(() => kustomize(join(dir, 'overlays', 'compose')), /cycle detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a strategic-merge patch aimed at a missing object fails the render', () => {
    assert.throws(
      () =>
        renderKustomizationWith({
          resources: ['../../../k8s/base'],
          patches: [
            {
              patch: stringify({
                $patch: 'delete',
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                metadata: { name: 'nope', namespace: 'flowkube-admin' },
              }),
            },
          ],
        }),
      /no resource matches strategic merge patch/
    );
  });

  // kustomize applies a JSON 6902 patch to whatever its target selects, and nothing at all is no error: the overlay
  // tests above therefore assert the patched values themselves, not merely that the overlay renders.
  test('a JSON 6902 patch whose target selects nothing is silently skipped by kustomize', () => {
    const objects = renderKustomizationWith({
      resources: ['../../../k8s/base'],
      patches: [
        { target: { kind: 'Deployment', name: 'nope' }, patch: '- {op: replace, path: /spec/replicas, value: 1}' },
      ],
    });
    assert.equal((findObject(objects, 'Deployment', 'flowkube-proxy').spec as { replicas: number }).replicas, 2);
  });

  test('a missing resource fails the render', () => {
    assert.throws(() => renderKustomizationWith({ resources: ['missing.yaml'] }), /missing\.yaml.*no such file/);
  });

  test('without kubectl the render fails and says how to get it (no skip)', () => {
    assert.throws(() => kubectlPath('/nonexistent'), /kubectl was not found on PATH.*install kubectl/);
    assert.throws(() => kustomize(join(k8sDir, 'base'), '/nonexistent/kubectl'), /kubectl was not found on PATH/);
  });
});

// Renders a kustomization written to a temporary folder inside the repository (so relative bases resolve).
function renderKustomizationWith(k: Record<string, unknown>): KubeObject[] {
  const dir = mkdtempSync(join(root, 'tests', 'deploy', '.tmp-kustomize-'));
  try {
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...k })
    );
    return kustomize(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
