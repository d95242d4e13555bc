import { HttpError, jobNotFound, retryLater } from '../http-error.ts';
import { describeKubeError, isRetryable, type KubeFailure, missingPermission } from './errors.ts';

/** What a client is told to wait when Kubernetes was unreachable or a quota was used up. */
export const UNAVAILABLE_RETRY_SECONDS = 5;
export const QUOTA_RETRY_SECONDS = 10;

export interface KubeCall {
  /** The RBAC verb of the call: create, get, list, delete. */
  verb: string;
  /** The RBAC resource: pods, pods/log, leases, cronjobs, jobs. */
  resource: string;
  namespace: string;
  /** The job the call was about: its 404 means "no such job". Without one, a 404 means the namespace is missing. */
  job?: string;
  /** Tries made before giving up, when more than one. */
  attempts?: number;
}

// kube-apiserver's ResourceQuota admission refuses with a 403 Forbidden whose message reads
// `pods "x" is forbidden: exceeded quota: <quota>, requested: pods=1, used: pods=3, limited: pods=3`
// (kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go, formerly
// plugin/pkg/admission/resourcequota; the "is forbidden:" prefix is apierrors.NewForbidden via admission.NewForbidden).
const QUOTA = /exceeded quota: ([^,]+),(.*)$/i;

/**
 * The one mapping from a failed Kubernetes call to the answer a client gets, for jobs and schedules alike. It
 * never leaks more than Kubernetes' own message, which names resources, quotas and the ServiceAccount, not secrets.
 */
export function kubeHttpError(f: KubeFailure, call: KubeCall): HttpError {
  const { verb, resource, namespace } = call;
  if (f.status === 401) {
    return new HttpError(
      502,
      'kube_forbidden',
      "Kubernetes rejected the proxy's credentials (401); check its ServiceAccount token or kubeconfig",
      { rejectReason: 'kube_forbidden' }
    );
  }
  if (f.status === 403) {
    const quota = QUOTA.exec(f.message ?? '');
    if (quota) {
      return retryLater(
        429,
        'limit_exceeded',
        `the namespace's ResourceQuota "${quota[1]}" is used up (${quota[2]!.trim()}); wait for a job to finish or cancel one`,
        QUOTA_RETRY_SECONDS,
        { limit: `quota:${quota[1]}`, rejectReason: 'quota' }
      );
    }
    return new HttpError(502, 'kube_forbidden', missingPermission(f, { verb, resource, namespace }), {
      rejectReason: 'kube_forbidden',
    });
  }
  if (f.status === 404) {
    if (call.job !== undefined) {
      return jobNotFound(call.job);
    }
    return new HttpError(
      502,
      'kube_unavailable',
      `Kubernetes answered 404: ${f.message ?? 'not found'} (does namespace "${namespace}" exist?)`,
      { rejectReason: 'kube_unavailable' }
    );
  }
  if (f.status === 422) {
    const rejected = `Kubernetes rejected the ${verb} of ${resource}: ${f.message ?? 'invalid'}`;
    return new HttpError(400, 'bad_request', rejected, {
      details: { causes: f.causes ?? [] },
      rejectReason: 'kube_invalid',
    });
  }
  if (isRetryable(f)) {
    const what = f.status === 0 ? 'no answer' : `HTTP ${f.status}`;
    const tries = call.attempts !== undefined && call.attempts > 1 ? ` after ${call.attempts} attempts` : '';
    return retryLater(
      503,
      'kube_unavailable',
      `the Kubernetes API did not answer the ${verb} of ${resource}${tries} (last: ${what}); try again shortly`,
      UNAVAILABLE_RETRY_SECONDS,
      { rejectReason: 'kube_unavailable' }
    );
  }
  return new HttpError(502, 'kube_unavailable', `Kubernetes answered ${f.status} to the ${verb} of ${resource}`, {
    rejectReason: 'kube_unavailable',
  });
}

/** For a catch block: the proxy's own HttpErrors pass through, anything else is mapped. */
export function toHttpError(err: unknown, call: KubeCall): HttpError {
  return err instanceof HttpError ? err : kubeHttpError(describeKubeError(err), call);
}
