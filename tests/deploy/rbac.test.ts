// RBAC least privilege, asserted over every rendered kustomization: namespaced Roles only, no wildcards, and the
// proxy's Role is exactly what the proxy calls (a missing verb breaks launches, an extra one widens the blast radius).
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import type { KubeObject } from './lib/k8s-schema.ts';
import { findObject, kustomizationDirs, kustomize, parseYamlFile } from './lib/kubectl-kustomize.ts';
import { permissions, rbacProblems, type Rule } from './lib/rbac.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const PROXY_PERMISSIONS = [
  // the catalog: ConfigMap templates watched, a Warning Event on a broken one; never Secrets
  '/configmaps:get',
  '/configmaps:list',
  '/configmaps:watch',
  '/events:create',
  '/pods/log:get',
  '/pods:create',
  '/pods:delete',
  '/pods:get',
  '/pods:list',
  // cancel: lowers activeDeadlineSeconds and annotates who (pkg-backend-proxy/src/jobs/cancel.ts)
  '/pods:patch',
  '/pods:watch',
  // schedules: the CronJob cache (list, watch), create, read-back of an Idempotency-Key's CronJob, PATCH, DELETE
  'batch/cronjobs:create',
  'batch/cronjobs:delete',
  'batch/cronjobs:get',
  'batch/cronjobs:list',
  'batch/cronjobs:patch',
  'batch/cronjobs:watch',
  // run-now; the runs themselves are read as Pods
  'batch/jobs:create',
  // launch slots (pkg-backend-proxy/src/jobs/slots.ts): claim, count, take back, free
  'coordination.k8s.io/leases:create',
  'coordination.k8s.io/leases:delete',
  'coordination.k8s.io/leases:get',
  'coordination.k8s.io/leases:list',
  // the audit watermark (pkg-backend-proxy/src/plugins/audit-watermark.ts), limited to its one Lease (asserted below)
  'coordination.k8s.io/leases:patch',
];

describe('RBAC least privilege', () => {
  for (const dir of kustomizationDirs(root)) {
    const objects = kustomize(join(root, dir));

    test(`${dir}: no cluster-wide RBAC, no wildcards, Roles only in flowkube-jobs`, () => {
      assert.deepEqual(rbacProblems(objects), []);
    });

    test(`${dir}: the proxy's Role grants exactly the Pod verbs it uses, bound to its ServiceAccount`, () => {
      const role = findObject(objects, 'Role', 'flowkube-proxy');
      assert.equal(role.metadata?.namespace, 'flowkube-jobs');
      assert.deepEqual(permissions(role.rules as Rule[]), PROXY_PERMISSIONS);
      const patchesLeases = (role.rules as Rule[]).filter(
        (r) => r.resources?.includes('leases') && r.verbs?.includes('patch')
      );
      assert.deepEqual(
        patchesLeases.map((r) => r.resourceNames),
        [['flowkube-audit-watermark']]
      );
      const binding = findObject(objects, 'RoleBinding', 'flowkube-proxy');
      assert.equal(binding.metadata?.namespace, 'flowkube-jobs');
      assert.deepEqual(binding.roleRef, {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'flowkube-proxy',
      });
      assert.deepEqual(binding.subjects, [
        { kind: 'ServiceAccount', name: 'flowkube-proxy', namespace: 'flowkube-admin' },
      ]);
      const sa = findObject(objects, 'ServiceAccount', 'flowkube-proxy');
      assert.equal(sa.metadata?.namespace, 'flowkube-admin');
    });
  }

  test('no YAML file under k8s/ holds a ClusterRole or ClusterRoleBinding, rendered or not', () => {
    const files = (readdirSync(join(root, 'k8s'), { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f));
    const kinds = files.flatMap((f) =>
      parseYamlFile(join(root, 'k8s', f)).map((d) => `${f}: ${(d as { kind?: string }).kind ?? '-'}`)
    );
    assert.deepEqual(
      kinds.filter((k) => /: Cluster(Role|RoleBinding)$/.test(k)),
      []
    );
  });

  test('the in-cluster proxy runs as that ServiceAccount', () => {
    const deployment = findObject(kustomize(join(root, 'k8s', 'base')), 'Deployment', 'flowkube-proxy');
    const spec = (deployment.spec as { template: { spec: { serviceAccountName?: string } } }).template.spec;
    assert.equal(spec.serviceAccountName, 'flowkube-proxy');
  });

  test('the check flags a ClusterRole, a wildcard and a Role outside flowkube-jobs', () => {
    const bad: KubeObject[] = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'c' }, rules: [] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'w', namespace: 'flowkube-jobs' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'o', namespace: 'default' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
    ];
    const problems = rbacProblems(bad);
    assert.ok(problems.some((p) => p.startsWith('ClusterRole/c: cluster-wide')));
    assert.ok(problems.some((p) => p.includes('Role/w: rules[0].verbs contains a wildcard')));
    assert.ok(problems.some((p) => p.includes('Role/o: Roles may only grant access in flowkube-jobs')));
  });

  test('an extra verb changes the flattened permissions', () => {
    const extra = permissions([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'update'] }]);
    assert.notDeepEqual(extra, permissions([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]));
    assert.ok(extra.includes('/pods:update'));
  });
});
