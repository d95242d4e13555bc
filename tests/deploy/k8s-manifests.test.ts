// Every YAML under k8s/ parses; every Kubernetes object in it, and in each rendered kustomization, validates against
// the Kubernetes schemas with unknown fields rejected; the kustomizations render (resources exist, patches hit).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { type KubeObject, unknownFieldErrors, validateObject } from './lib/k8s-schema.ts';
import { findObject, parseYamlFile, renderKustomization } from './lib/kustomize.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const k8sDir = join(root, 'k8s');
const KUSTOMIZATIONS = ['k8s/base', 'k8s/overlays/local', 'k8s/overlays/compose'];

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
  test('there are manifests to check', () => {
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
      const objects = renderKustomization(join(root, dir));
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
    const objects = renderKustomization(join(k8sDir, 'base'));
    for (const ns of ['flowkube-admin', 'flowkube-jobs', 'flowkube-monitoring']) {
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
    const catalog = findObject(objects, 'ConfigMap', 'flowkube-catalog');
    assert.ok((catalog.data as Record<string, string>)['catalog.yaml']?.includes('templates:'));
    assert.equal(
      objects.filter((o) => o.kind === 'Secret').length,
      0,
      'the base must not ship a Secret: tokens are created by the operator (secret.example.yaml)'
    );
  });

  test('flowkube-monitoring is the same object here and in monitoring/00-namespace.yaml (either may be applied first)', () => {
    const here = findObject(renderKustomization(join(k8sDir, 'base')), 'Namespace', 'flowkube-monitoring');
    const there = parseYamlFile(join(root, 'monitoring', '00-namespace.yaml'))[0];
    assert.deepEqual(there, here);
  });

  test('the local overlay runs one replica of locally built images', () => {
    const objects = renderKustomization(join(root, 'k8s/overlays/local'));
    const deployment = findObject(objects, 'Deployment', 'flowkube-proxy');
    const spec = deployment.spec as {
      replicas: number;
      template: { spec: { containers: Array<Record<string, unknown>> } };
    };
    assert.equal(spec.replicas, 1);
    assert.equal(spec.template.spec.containers[0]!.image, 'flowkube/proxy:0.1.0');
    assert.equal(spec.template.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
    // the base itself is untouched by rendering the overlay
    const base = findObject(renderKustomization(join(k8sDir, 'base')), 'Deployment', 'flowkube-proxy');
    assert.equal((base.spec as { replicas: number }).replicas, 2);
  });

  test('the compose overlay drops the in-cluster proxy and keeps the rest of the base', () => {
    const objects = renderKustomization(join(root, 'k8s/overlays/compose'));
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
    structuredClone(findObject(renderKustomization(join(k8sDir, 'base')), 'Deployment', 'flowkube-proxy'));

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

  test('a patch aimed at a missing object fails the render', () => {
    assert.throws(
      () =>
        renderKustomizationWith({
          resources: ['../../../k8s/base'],
          patches: [
            { target: { kind: 'Deployment', name: 'nope' }, patch: '- {op: replace, path: /spec/replicas, value: 1}' },
          ],
        }),
      /matches no object/
    );
  });

  test('a missing resource fails the render', () => {
    assert.throws(() => renderKustomizationWith({ resources: ['missing.yaml'] }), /does not exist/);
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
    return renderKustomization(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
