// Least-privilege rules for RBAC objects, as pure functions the deploy tests apply to every rendered manifest.
import type { KubeObject } from './k8s-schema.ts';

export interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Rules flattened to `group/resource:verb` strings, sorted, so two sets compare exactly. */
export function permissions(rules: Rule[]): string[] {
  return rules
    .flatMap((r) =>
      (r.apiGroups ?? []).flatMap((g) =>
        (r.resources ?? []).flatMap((res) => (r.verbs ?? []).map((v) => `${g}/${res}:${v}`))
      )
    )
    .sort();
}

/** Everything in a set of objects that breaks least privilege, one line each. */
export function rbacProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata?.name}`;
    if (o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding') {
      problems.push(`${id}: cluster-wide RBAC is not allowed`);
    }
    if (o.kind === 'Role' || o.kind === 'ClusterRole') {
      for (const [i, rule] of ((o.rules as Rule[] | undefined) ?? []).entries()) {
        for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames'] as const) {
          if ((rule[field] ?? []).some((v) => v.includes('*'))) {
            problems.push(`${id}: rules[${i}].${field} contains a wildcard`);
          }
        }
        if (rule.nonResourceURLs) {
          problems.push(`${id}: rules[${i}] grants non-resource URLs`);
        }
      }
      if (o.metadata?.namespace !== 'flowkube-jobs') {
        problems.push(`${id}: Roles may only grant access in flowkube-jobs, not ${o.metadata?.namespace}`);
      }
    }
  }
  return problems;
}
