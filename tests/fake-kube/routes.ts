// Which Kubernetes verb and RBAC resource a request is: drives recording, fault scripts, 403s and dispatch.
// Paths as kube-apiserver's installer lays them out (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go):
// `/api/v1` for the core group and `/apis/<group>/v1` for the others, then `[watch/][namespaces/<ns>/]<resource>`
// for a collection and `…/<resource>/<name>[/<subresource>]` for one object.
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
  /** The RBAC resource the request needs ('pods', 'pods/log', 'cronjobs', …; '' for discovery). */
  resource: string;
  /** The RBAC verb ('get' for logs). */
  rbacVerb: string;
  /** A served resource, a Pod's log, or anything else (discovery, namespaces, or a 404). */
  kind: 'resource' | 'log' | 'meta';
  /** The API group ('' for the core group, 'batch' for CronJobs and Jobs). */
  group: string;
}

/** The verbs the server serves on `resource` of `group`, or undefined when it does not serve that resource. */
type Served = (group: string, resource: string) => readonly Verb[] | undefined;

const ITEM_VERBS: Record<string, Verb> = { GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function route(method: string, path: string, query: Record<string, string>, served: Served): Route {
  const parts = path.split('/').filter(Boolean);
  const meta: Route = { verb: 'other', resource: '', rbacVerb: '', kind: 'meta', group: '' };
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length > 3 && parts[2] === 'v1') {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else {
    return meta;
  }
  const legacyWatch = rest[0] === 'watch';
  if (legacyWatch) {
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = decodeURIComponent(rest[1] ?? '');
    rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  const verbs = served(group, resource);
  if (!verbs || rest.length > 3) {
    return meta;
  }
  const base = { namespace, resource, group, kind: 'resource' as const };
  const allowed = (verb: Verb | undefined): Verb | 'other' => (verb && verbs.includes(verb) ? verb : 'other');
  if (rest.length === 1) {
    const isWatch = legacyWatch || query.watch === 'true' || query.watch === '1';
    const wanted =
      method === 'GET' ? (isWatch ? 'watch' : 'list') : method === 'POST' && namespace ? 'create' : undefined;
    const verb = allowed(wanted);
    return { ...base, verb, rbacVerb: verb };
  }
  const name = decodeURIComponent(rest[1] ?? '');
  if (namespace === undefined) {
    return { ...base, name, verb: 'other', rbacVerb: 'other' };
  }
  if (rest.length === 3) {
    const log = group === '' && resource === 'pods' && rest[2] === 'log' && method === 'GET';
    return log
      ? { ...base, name, verb: 'log', resource: 'pods/log', rbacVerb: 'get', kind: 'log' }
      : { ...meta, namespace };
  }
  const verb = allowed(ITEM_VERBS[method]);
  return { ...base, name, verb, rbacVerb: verb };
}
