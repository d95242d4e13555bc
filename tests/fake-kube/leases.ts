// coordination.k8s.io/v1 Leases: create, get, list and watch (label selectors) and delete (with preconditions), answered
// the way kube-apiserver's generic registry answers them, so a semaphore built on Leases can be tested against it.
// Sources, in kubernetes/kubernetes:
// - pkg/registry/coordination/lease/storage/storage.go: a plain genericregistry.Store, namespaced, no graceful
//   deletion and no finalizers, so a DELETE removes the Lease at once;
// - staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go: create of a taken name is 409
//   AlreadyExists; a delete answers a Status Success whose details carry name, group, kind (the resource) and uid,
//   because Leases do not set ReturnDeletedObject;
// - staging/src/k8s.io/apiserver/pkg/storage/interfaces.go (Preconditions.Check) and
//   staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go (storeerr.InterpretDeleteError): a failed
//   uid or resourceVersion precondition is 409 Conflict "Operation cannot be fulfilled on …: Precondition failed: …";
// - staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/micro_time.go: acquireTime and renewTime are RFC 3339 with
//   exactly six fractional digits; anything else fails to decode (400).
// - pkg/apis/coordination/validation/validation.go (ValidateLeaseUpdate): an update or patch is validated as the
//   spec of a new Lease is; nothing FlowKube patches (annotations) has rules of its own.
// The generic resource handler (resource.ts) does the rest, update and merge patch included; Leases add only the
// MicroTime decoding.
// Not modelled: leaseTransitions bookkeeping (the API server does none either).
import type { V1Lease } from '@kubernetes/client-node';
import { isObject } from './http.ts';
import { newObject, type Json, type ResourceKind } from './resource.ts';
import type { Verb } from './routes.ts';
import { badRequest } from './status.ts';
import { nameErrors } from './validate.ts';

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

function undecodableTime(body: Json) {
  const spec = isObject(body.spec) ? body.spec : {};
  for (const field of ['acquireTime', 'renewTime']) {
    const value = spec[field];
    if (value !== undefined && (typeof value !== 'string' || !MICRO_TIME.test(value))) {
      return badRequest(
        `Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse`
      );
    }
  }
  return undefined;
}

export const LEASES: ResourceKind<V1Lease> = {
  group: 'coordination.k8s.io',
  resource: 'leases',
  kind: 'Lease',
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] satisfies Verb[],
  decode: undecodableTime,
  admit: (body, namespace, name) => newObject(body, namespace, name, new Date()) as V1Lease,
  createErrors: (lease) => nameErrors(lease.metadata?.name),
  updateErrors: () => [],
};
