// Which Kubernetes verb and RBAC resource a request is: drives recording, fault scripts, 403s and dispatch.
import { coreObjectRoute } from './configmaps.ts';
import { LEASE_GROUP, leaseRoute } from './leases.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'log';

export type Fault =
  | { status: 429 | 500 | 503 | 403 | 422; retryAfterSeconds?: number }
  | { reset: true }
  | { createThenReset: true }
  | { delayMs: number };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  verb: Verb | 'other';
  /** The RBAC resource ('pods', 'pods/log', 'leases', …; '' for discovery). */
  resource: string;
}

export const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

export interface Route {
  verb: Verb | 'other';
  namespace?: string;
  name?: string;
  /** The RBAC resource the request needs ('pods' or 'pods/log'). */
  resource: string;
  /** The RBAC verb ('get' for logs). */
  rbacVerb: string;
  kind: 'pods' | 'pod' | 'log' | 'meta' | 'batch' | 'leases' | 'lease' | 'core' | 'unknown';
  /** The API group ('' for the core group, 'batch' for CronJobs and Jobs). */
  group?: string;
}

export const BATCH_RESOURCES = new Set(['cronjobs', 'jobs']);

/** `/apis/batch/v1/[namespaces/<ns>/]<cronjobs|jobs>[/<name>]`, the collection or one object. */
function batchRoute(method: string, parts: string[], isWatch: boolean): Route {
  const other: Route = { verb: 'other', resource: '', rbacVerb: '', kind: parts.length <= 3 ? 'meta' : 'unknown' };
  let rest = parts.slice(3);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = decodeURIComponent(rest[1] ?? '');
    rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  if (!BATCH_RESOURCES.has(resource) || rest.length > 2) {
    return other;
  }
  const base = { namespace, resource, kind: 'batch' as const, group: 'batch' };
  if (rest.length === 1) {
    const verb: Verb | 'other' =
      method === 'GET' ? (isWatch ? 'watch' : 'list') : method === 'POST' && namespace ? 'create' : 'other';
    return { ...base, verb, rbacVerb: verb };
  }
  const name = decodeURIComponent(rest[1] ?? '');
  const byMethod: Record<string, Verb> = { GET: 'get', PATCH: 'patch', DELETE: 'delete' };
  const verb = namespace === undefined ? 'other' : (byMethod[method] ?? 'other');
  return { ...base, name, verb, rbacVerb: verb };
}

export function route(method: string, path: string, query: Record<string, string>): Route {
  const parts = path.split('/').filter(Boolean);
  const isWatch = query.watch === 'true' || query.watch === '1';
  const other: Route = { verb: 'other', resource: '', rbacVerb: '', kind: 'unknown' };
  if (parts[0] === 'apis' && parts[1] === 'batch' && parts[2] === 'v1') {
    return batchRoute(method, parts, isWatch);
  }
  if (parts[0] === 'apis' && parts[1] === LEASE_GROUP && parts[2] === 'v1') {
    return leaseRoute(method, parts);
  }
  if (parts[0] !== 'api' || parts[1] !== 'v1') {
    return { ...other, kind: parts.length <= 1 ? 'meta' : 'unknown' };
  }
  let rest = parts.slice(2);
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = decodeURIComponent(rest[1] ?? '');
    rest = rest.slice(2);
  }
  const coreObject = coreObjectRoute(method, rest, namespace, isWatch || legacyWatch);
  if (coreObject) {
    return coreObject;
  }
  if (rest[0] !== 'pods') {
    return { ...other, kind: 'meta' };
  }
  const collection = (verb: Verb): Route => ({ verb, namespace, resource: 'pods', rbacVerb: verb, kind: 'pods' });
  if (rest.length === 1) {
    if (method === 'GET') {
      return collection(isWatch || legacyWatch ? 'watch' : 'list');
    }
    return method === 'POST' ? collection('create') : { ...other, namespace, kind: 'pods' };
  }
  const name = decodeURIComponent(rest[1] ?? '');
  if (rest.length === 2 && namespace !== undefined) {
    const byMethod: Record<string, Verb> = { GET: 'get', PATCH: 'patch', DELETE: 'delete' };
    const verb = byMethod[method] ?? 'other';
    return { verb, namespace, name, resource: 'pods', rbacVerb: verb, kind: 'pod' };
  }
  if (rest.length === 3 && rest[2] === 'log' && namespace !== undefined && method === 'GET') {
    return { verb: 'log', namespace, name, resource: 'pods/log', rbacVerb: 'get', kind: 'log' };
  }
  return other;
}
