// ResourceQuota admission for the `pods` object count, as kube-apiserver applies it on a Pod create.
// Sources, in kubernetes/kubernetes:
// - staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go (formerly
//   plugin/pkg/admission/resourcequota): over the hard limit is admission.NewForbidden with
//   "exceeded quota: <quota>, requested: pods=1, used: pods=<used>, limited: pods=<hard>", which becomes a 403
//   Forbidden Status `pods "<name>" is forbidden: exceeded quota: …` (apierrors.NewForbidden);
// - pkg/quota/v1/evaluator/core/pods.go (QuotaV1Pod): Succeeded and Failed Pods no longer count, nor does a Pod
//   marked deleting once its deletionTimestamp plus its deletionGracePeriodSeconds has passed (a Pod finalizers keep,
//   or one stuck on a lost node). `count/pods`, which counts every stored Pod, is not modelled.
// Validating admission runs after the object is validated (422 first) and before storage (so a taken name still
// gets the quota's 403, not AlreadyExists): staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go.
import type { V1Pod } from '@kubernetes/client-node';
import { status, type Status } from './status.ts';

export interface PodQuota {
  /** The ResourceQuota's name, as its message shows it. */
  name: string;
  /** spec.hard.pods */
  pods: number;
}

function counts(pod: V1Pod, now: number): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
    return false;
  }
  const deleting = pod.metadata?.deletionTimestamp as unknown as string | undefined;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  return deleting === undefined || grace === undefined || now <= Date.parse(deleting) + grace * 1000;
}

/** The 403 the quota admission answers when one more Pod would exceed `quota`, else undefined. */
export function quotaRefusal(quota: PodQuota | undefined, podsInNamespace: V1Pod[], name: string): Status | undefined {
  if (!quota) {
    return undefined;
  }
  const now = Date.now();
  const used = podsInNamespace.filter((p) => counts(p, now)).length;
  if (used + 1 <= quota.pods) {
    return undefined;
  }
  const why = `exceeded quota: ${quota.name}, requested: pods=1, used: pods=${used}, limited: pods=${quota.pods}`;
  return status(403, 'Forbidden', `pods "${name}" is forbidden: ${why}`, { name, kind: 'pods' });
}
