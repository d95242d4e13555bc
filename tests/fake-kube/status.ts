// Status bodies exactly as the API server writes them; clients (client-node, kubectl) parse reason, code and details.
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  /** The API group of a non-core resource ('batch'). */
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export function status(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const body: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) {
    body.details = details;
  }
  return body;
}

export const unauthorized = (): Status => status(401, 'Unauthorized', 'Unauthorized');

/**
 * The resource a Status names: `pods`, or `cronjobs.batch` outside the core group, as GroupResource.String() writes
 * it (staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go names the resource in NotFound, AlreadyExists and
 * Conflict, and the Kind in Invalid; details carry the group only outside the core group).
 */
const qualified = (name: string, group: string): string => (group === '' ? name : `${name}.${group}`);

const groupDetails = (name: string, group: string, kind: string): StatusDetails =>
  group === '' ? { name, kind } : { name, group, kind };

export const notFound = (resource: string, name: string, group = ''): Status =>
  status(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, groupDetails(name, group, resource));

export const alreadyExists = (resource: string, name: string, group = ''): Status =>
  status(
    409,
    'AlreadyExists',
    `${qualified(resource, group)} "${name}" already exists`,
    groupDetails(name, group, resource)
  );

/** NewConflict: a stale resourceVersion or a failed precondition. */
export const conflict = (resource: string, name: string, why: string, group = ''): Status =>
  status(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`,
    groupDetails(name, group, resource)
  );

export const badRequest = (message: string): Status => status(400, 'BadRequest', message);

export const methodNotAllowed = (): Status =>
  status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

/** 422 as the API server words it: one cause inline, several in brackets. */
export function invalid(kind: string, name: string, causes: StatusCause[], group = ''): Status {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return status(422, 'Invalid', `${qualified(kind, group)} "${name}" is invalid: ${summary}`, {
    ...groupDetails(name, group, kind),
    causes,
  });
}

/** The RBAC denial message, which names the verb, resource and scope: the proxy relays it to say what is missing. */
export function forbidden(
  user: string,
  verb: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
  group = ''
): Status {
  const kind = resource.split('/')[0] ?? resource;
  const subject = name ? `${kind} "${name}"` : kind;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`;
  const details: StatusDetails = name ? { name, kind } : { kind };
  return status(403, 'Forbidden', message, details);
}

export const tooManyRequests = (retryAfterSeconds: number): Status =>
  status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });

export const internalError = (message: string): Status =>
  status(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message }] });

export const serviceUnavailable = (): Status =>
  status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
