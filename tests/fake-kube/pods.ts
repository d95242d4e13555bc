// Core v1 Pods: the generic resource handler (resource.ts) with what is theirs. Decoding and validation come from
// validate.ts, defaults from objects.ts (admitPod), the update rules from pod-update.ts; quota and admission plugins
// judge a create after validation and before storage (quota.ts, admission.ts); the kubelet (kubelet.ts) runs what is
// stored. DELETE is graceful, as pkg/registry/core/pod/strategy.go (CheckGracefulDelete) and
// staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go (BeforeDelete) decide it: the grace period comes from
// the request or the Pod's terminationGracePeriodSeconds, is 0 for a Pod that is unscheduled or finished, and a
// repeated DELETE may only shorten it. A Pod with finalizers stays once its grace period is over, Failed if a kubelet
// had it, until an update removes the last finalizer (store.ts deleteNow, resource.ts).
import type { V1Pod } from '@kubernetes/client-node';
import type { AdmissionHook } from './admission.ts';
import type { Kubelet } from './kubelet.ts';
import { admitPod, timestamp } from './objects.ts';
import { podUpdateErrors } from './pod-update.ts';
import { quotaRefusal, type PodQuota } from './quota.ts';
import type { Json, ResourceKind } from './resource.ts';
import { POD_FIELDS } from './selectors.ts';
import { badRequest } from './status.ts';
import type { PodStore } from './store.ts';
import { podSchemaProblem, podSemanticErrors, type SchemaProblem } from './validate.ts';

interface PodDeps {
  store: PodStore;
  kubelet: Kubelet;
  /** ResourceQuota on the `pods` count, by namespace. */
  quotas: Map<string, PodQuota>;
  /** Admission plugins and webhooks that may refuse a Pod create (dry run or not), in order. */
  admission: AdmissionHook[];
}

const schemas = new WeakMap<Json, SchemaProblem | undefined>();

/** The schema check of one create's body, run once for the decoder and the validation both. */
function schemaProblem(body: Json): SchemaProblem | undefined {
  if (!schemas.has(body)) {
    schemas.set(body, podSchemaProblem(body));
  }
  return schemas.get(body);
}

/**
 * Marks `pod` deleted with its grace period and tells the kubelet, which removes it once its process has gone (at
 * once for a grace period of 0). `requested` is the DELETE's gracePeriodSeconds, if it had one.
 */
export function deletePodGracefully(deps: Pick<PodDeps, 'store' | 'kubelet'>, pod: V1Pod, requested?: number): V1Pod {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const phase = pod.status?.phase;
  const runs = pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
  const grace = runs ? Math.max(0, requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30) : 0;
  const existing = pod.metadata?.deletionTimestamp as unknown as string | undefined;
  if (existing !== undefined && grace >= Math.max(0, Math.ceil((Date.parse(existing) - Date.now()) / 1000))) {
    return pod;
  }
  const updated = deps.store.update(namespace, name, (d) => {
    const meta = (d.metadata ??= {});
    meta.deletionTimestamp = timestamp(new Date(Date.now() + grace * 1000)) as unknown as Date;
    meta.deletionGracePeriodSeconds = grace;
  });
  deps.kubelet.terminate(namespace, name, grace);
  // what the delete left: the Pod as removed, or as its finalizers keep it
  return deps.store.get(namespace, name) ?? updated ?? pod;
}

export function podKind(deps: PodDeps): ResourceKind<V1Pod> {
  return {
    group: '',
    resource: 'pods',
    kind: 'Pod',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'],
    shortNames: ['po'],
    fields: POD_FIELDS,
    decode: (body) => {
      const schema = schemaProblem(body);
      return schema?.kind === 'decode' ? badRequest(schema.message) : undefined;
    },
    admit: (body, namespace, name) => admitPod(body as V1Pod, namespace, name, new Date()),
    createErrors: (_, body) => {
      const schema = schemaProblem(body);
      // Both checks may report the same field (e.g. a nameless env entry); the API server names each once.
      return [...podSemanticErrors(body), ...(schema?.kind === 'invalid' ? schema.causes : [])].filter(
        (c, i, all) => all.findIndex((o) => o.field === c.field) === i
      );
    },
    admission: (pod, attrs) => {
      const overQuota = quotaRefusal(deps.quotas.get(attrs.namespace), deps.store.list(attrs.namespace), attrs.name);
      if (overQuota) {
        return overQuota;
      }
      for (const admit of deps.admission) {
        const refusal = admit(pod, attrs);
        if (refusal) {
          return refusal;
        }
      }
      return undefined;
    },
    created: (pod) => deps.kubelet.admit(pod),
    updateErrors: podUpdateErrors,
    updated: (before, after) => {
      const seconds = after.spec?.activeDeadlineSeconds;
      if (seconds !== before.spec?.activeDeadlineSeconds) {
        deps.kubelet.deadlineChanged(after.metadata?.namespace ?? '', after.metadata?.name ?? '', seconds);
      }
    },
    delete: (pod, request) => ({ remaining: deletePodGracefully(deps, pod, request.gracePeriodSeconds) }),
    returnsDeletedObject: true,
  };
}
