// How the API server judges a Pod update (PATCH or PUT): the whole new Pod is validated as on create, then against
// the old one (kubernetes/kubernetes pkg/registry/core/pod/strategy.go ValidateUpdate, which calls ValidatePod and
// ValidatePodUpdate from pkg/apis/core/validation/validation.go). Of the spec only container images and
// activeDeadlineSeconds change here; activeDeadlineSeconds may only go down (or be set where there was none).
import type { V1Pod } from '@kubernetes/client-node';
import { canonical } from './resource.ts';
import type { StatusCause } from './status.ts';
import { clone } from './store.ts';
import { podSemanticErrors } from './validate.ts';

type Json = Record<string, unknown>;

const FORBIDDEN_SPEC =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Why the API server would refuse to turn `old` into `next` (422 causes), or nothing. */
export function podUpdateErrors(old: V1Pod, next: V1Pod): StatusCause[] {
  const causes = podSemanticErrors(next as unknown as Json);
  const newDeadline = next.spec?.activeDeadlineSeconds;
  const oldDeadline = old.spec?.activeDeadlineSeconds;
  if (newDeadline !== undefined && newDeadline !== null) {
    if (oldDeadline !== undefined && oldDeadline !== null && newDeadline > oldDeadline) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${newDeadline}: must be less than or equal to previous value`,
        field: 'spec.activeDeadlineSeconds',
      });
    }
  } else if (oldDeadline !== undefined && oldDeadline !== null) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: null: must not update from a positive integer to nil value',
      field: 'spec.activeDeadlineSeconds',
    });
  }
  // everything else of the spec must stay: compare with the updatable fields put back to the old values
  const munged = clone(next.spec ?? { containers: [] });
  munged.activeDeadlineSeconds = old.spec?.activeDeadlineSeconds;
  munged.containers.forEach((c, i) => {
    c.image = old.spec?.containers[i]?.image;
  });
  if (munged.containers.length !== (old.spec?.containers.length ?? 0)) {
    causes.push({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: pod updates may not add or remove containers',
      field: 'spec.containers',
    });
  } else if (JSON.stringify(canonical(munged)) !== JSON.stringify(canonical(old.spec ?? {}))) {
    causes.push({ reason: 'FieldValueForbidden', message: `Forbidden: ${FORBIDDEN_SPEC}`, field: 'spec' });
  }
  return causes;
}
