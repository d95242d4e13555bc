// coordination.k8s.io/v1 Leases: create, get, list (label selectors) and delete (with preconditions), answered the
// way kube-apiserver's generic registry answers them, so a semaphore built on Leases can be tested against it.
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
// Not modelled: update/patch, watch, generateName, leaseTransitions bookkeeping (the API server does none either).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject, isStatus, readBody, sendJson, sendStatus } from './http.ts';
import { timestamp } from './objects.ts';
import type { Route, Verb } from './routes.ts';
import { matchesLabels, parseLabelSelector, SelectorError } from './selectors.ts';
import { badRequest, invalid, status, type Status } from './status.ts';
import { clone } from './store.ts';

export const LEASE_GROUP = 'coordination.k8s.io';
const QUALIFIED = `leases.${LEASE_GROUP}`;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
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

/** `/apis/coordination.k8s.io/v1/namespaces/<ns>/leases[/<name>]`; `parts` is the path split on '/'. */
export function leaseRoute(method: string, parts: string[]): Route {
  const other: Route = { verb: 'other', resource: '', rbacVerb: '', kind: parts.length <= 3 ? 'meta' : 'unknown' };
  const rest = parts.slice(3);
  if (rest[0] !== 'namespaces' || rest[2] !== 'leases' || rest.length < 3 || rest.length > 4) {
    return other;
  }
  const base = { namespace: decodeURIComponent(rest[1] ?? ''), resource: 'leases', group: LEASE_GROUP };
  if (rest.length === 3) {
    const verb: Verb | 'other' = method === 'GET' ? 'list' : method === 'POST' ? 'create' : 'other';
    return { ...base, verb, rbacVerb: verb, kind: 'leases' };
  }
  const byMethod: Record<string, Verb> = { GET: 'get', DELETE: 'delete' };
  const verb = byMethod[method] ?? 'other';
  return { ...base, name: decodeURIComponent(rest[3] ?? ''), verb, rbacVerb: verb, kind: 'lease' };
}

const notFound = (name: string): Status =>
  status(404, 'NotFound', `${QUALIFIED} "${name}" not found`, { name, group: LEASE_GROUP, kind: 'leases' } as never);

const conflict = (name: string, why: string): Status =>
  status(409, 'Conflict', `Operation cannot be fulfilled on ${QUALIFIED} "${name}": ${why}`, {
    name,
    group: LEASE_GROUP,
    kind: 'leases',
  } as never);

const withKind = (lease: Lease): Lease => ({ kind: 'Lease', apiVersion: `${LEASE_GROUP}/v1`, ...lease });

export class LeaseStore {
  private readonly leases = new Map<string, Lease>();
  private readonly revision: { rv: number };

  /** `revision` is etcd's, shared with the other stores: every write of any kind moves it on. */
  constructor(revision: { rv: number }) {
    this.revision = revision;
  }

  /** Copies, in name order (all namespaces when none is given). */
  list(namespace?: string): Lease[] {
    return [...this.leases.values()]
      .filter((l) => namespace === undefined || l.metadata.namespace === namespace)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
      .map(clone);
  }

  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    r: Route,
    query: Record<string, string>,
    namespaces: Set<string>
  ): Promise<void> {
    const namespace = r.namespace ?? '';
    if (r.verb === 'create') {
      return this.create(req, res, namespace, namespaces);
    }
    if (r.verb === 'list') {
      return this.serveList(res, namespace, query);
    }
    const lease = this.leases.get(`${namespace}/${r.name ?? ''}`);
    if (r.verb === 'get') {
      return lease ? sendJson(res, 200, withKind(lease)) : sendStatus(res, notFound(r.name ?? ''));
    }
    if (r.verb === 'delete') {
      return this.delete(req, res, namespace, r.name ?? '', lease);
    }
    return sendStatus(
      res,
      status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
    );
  }

  private serveList(res: ServerResponse, namespace: string, query: Record<string, string>): void {
    let selector;
    try {
      selector = parseLabelSelector(query.labelSelector ?? '');
    } catch (err) {
      if (err instanceof SelectorError) {
        return sendStatus(res, badRequest(err.message));
      }
      throw err;
    }
    const items = this.list(namespace).filter((l) => matchesLabels(selector, l.metadata.labels));
    sendJson(res, 200, {
      kind: 'LeaseList',
      apiVersion: `${LEASE_GROUP}/v1`,
      metadata: { resourceVersion: String(this.revision.rv) },
      items,
    });
  }

  private async create(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    namespaces: Set<string>
  ): Promise<void> {
    const text = await readBody(req);
    if (isStatus(text)) {
      return sendStatus(res, text);
    }
    if (!namespaces.has(namespace)) {
      return sendStatus(
        res,
        status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' })
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return sendStatus(res, badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`));
    }
    if (!isObject(body) || (body.kind !== undefined && body.kind !== 'Lease')) {
      return sendStatus(res, badRequest('the object provided is unrecognized (must be of type Lease)'));
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    const spec = isObject(body.spec) ? body.spec : {};
    for (const field of ['acquireTime', 'renewTime']) {
      const value = spec[field];
      if (value !== undefined && (typeof value !== 'string' || !MICRO_TIME.test(value))) {
        return sendStatus(
          res,
          badRequest(
            `Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse`
          )
        );
      }
    }
    const name = typeof meta.name === 'string' ? meta.name : '';
    if (name === '' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
      return sendStatus(
        res,
        invalid('Lease', name, [
          {
            reason: name === '' ? 'FieldValueRequired' : 'FieldValueInvalid',
            message:
              name === ''
                ? 'Required value: name or generateName is required'
                : `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
            field: 'metadata.name',
          },
        ])
      );
    }
    const key = `${namespace}/${name}`;
    if (this.leases.has(key)) {
      return sendStatus(
        res,
        status(409, 'AlreadyExists', `${QUALIFIED} "${name}" already exists`, {
          name,
          group: LEASE_GROUP,
          kind: 'leases',
        } as never)
      );
    }
    const lease: Lease = {
      metadata: {
        ...(meta as Partial<Lease['metadata']>),
        name,
        namespace,
        uid: randomUUID(),
        resourceVersion: String(++this.revision.rv),
        creationTimestamp: timestamp(),
      },
      ...(Object.keys(spec).length > 0 ? { spec: spec as Lease['spec'] } : {}),
    };
    this.leases.set(key, lease);
    sendJson(res, 201, withKind(lease));
  }

  private async delete(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    name: string,
    lease: Lease | undefined
  ): Promise<void> {
    const text = await readBody(req);
    if (isStatus(text)) {
      return sendStatus(res, text);
    }
    let options: Record<string, unknown> = {};
    if (text.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(text);
        options = isObject(parsed) ? parsed : {};
      } catch (err) {
        return sendStatus(res, badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`));
      }
    }
    if (!lease) {
      return sendStatus(res, notFound(name));
    }
    const pre = isObject(options.preconditions) ? options.preconditions : {};
    if (typeof pre.uid === 'string' && pre.uid !== lease.metadata.uid) {
      return sendStatus(
        res,
        conflict(
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${lease.metadata.uid}`
        )
      );
    }
    if (typeof pre.resourceVersion === 'string' && pre.resourceVersion !== lease.metadata.resourceVersion) {
      return sendStatus(
        res,
        conflict(
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${lease.metadata.resourceVersion}`
        )
      );
    }
    this.leases.delete(`${namespace}/${name}`);
    this.revision.rv += 1;
    sendJson(res, 200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: LEASE_GROUP, kind: 'leases', uid: lease.metadata.uid },
    });
  }
}
