// Admission that refuses a Pod create the way kube-apiserver's plugins do, for dry runs and real creates alike
// (admission runs for both; only storage is skipped on dryRun=All). Sources, in kubernetes/kubernetes:
// - staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/errors/statuserror.go (ToStatusErr): a denying
//   webhook's Status, code 403 unless it set one, message `pods "<name>" is forbidden: admission webhook "<w>"
//   denied the request: <why>`, details {name, group, kind: the resource}; NewDryRunUnsupportedErr: a webhook
//   whose sideEffects are not None answers a dry run with 400 `admission webhook "<w>" does not support dry run`;
// - staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go: `exceeded quota: <q>,
//   requested: <r>, used: <u>, limited: <l>` through admission.NewForbidden (403);
// - plugin/pkg/admission/priority/admission.go: `no PriorityClass with name <n> was found` (403).
import type { V1Pod } from '@kubernetes/client-node';
import { badRequest, status, type Status } from './status.ts';

export interface AdmissionAttributes {
  namespace: string;
  name: string;
  dryRun: boolean;
}

/** A refusal for this create, or undefined to let it through. */
export type AdmissionHook = (pod: V1Pod, attrs: AdmissionAttributes) => Status | undefined;

const forbiddenPod = (name: string, why: string): Status =>
  status(403, 'Forbidden', `pods "${name}" is forbidden: ${why}`, { name, group: '', kind: 'pods' } as never);

/** A validating webhook that denies Pods `denies` picks, with its own message (and code, when it sets one). */
export function webhookDenial(
  webhook: string,
  denies: (pod: V1Pod) => string | undefined,
  options: { code?: number; sideEffects?: 'None' | 'Some' } = {}
): AdmissionHook {
  return (pod, attrs) => {
    if (attrs.dryRun && options.sideEffects === 'Some') {
      return badRequest(`admission webhook "${webhook}" does not support dry run`);
    }
    const why = denies(pod);
    if (why === undefined) {
      return undefined;
    }
    const message = `pods "${attrs.name}" is forbidden: admission webhook "${webhook}" denied the request: ${why}`;
    const code = options.code ?? 403;
    return status(code, code === 403 ? 'Forbidden' : 'BadRequest', message, {
      name: attrs.name,
      group: '',
      kind: 'pods',
    } as never);
  };
}

/** A ResourceQuota on one resource (e.g. `limits.cpu`, in whole units or GPUs) that counts nothing used yet. */
export function quotaDenial(
  quota: string,
  resource: string,
  limited: number,
  read: (pod: V1Pod) => number
): AdmissionHook {
  return (pod, attrs) => {
    const requested = read(pod);
    return requested > limited
      ? forbiddenPod(
          attrs.name,
          `exceeded quota: ${quota}, requested: ${resource}=${requested}, used: ${resource}=0, limited: ${resource}=${limited}`
        )
      : undefined;
  };
}

/** The Priority admission plugin: a Pod naming a PriorityClass that does not exist is refused. */
export function priorityClasses(known: string[]): AdmissionHook {
  return (pod, attrs) => {
    const name = pod.spec?.priorityClassName;
    return name && !known.includes(name)
      ? forbiddenPod(attrs.name, `no PriorityClass with name ${name} was found`)
      : undefined;
  };
}
