/** What went wrong talking to Kubernetes, as far as the proxy needs to know. */
export interface KubeFailure {
  /** HTTP status, 0 when no answer came (refused, reset, timeout). */
  status: number;
  reason?: string;
  message?: string;
  retryAfterSeconds?: number;
  causes?: Array<Record<string, unknown>>;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'EHOSTUNREACH']);

function isNetworkError(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
      return true;
    }
    if (typeof e.message === 'string' && /fetch failed|socket hang up|other side closed/i.test(e.message)) {
      return true;
    }
    e = e.cause as typeof e;
  }
  return false;
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (body && typeof body === 'object') {
    return body as Record<string, unknown>;
  }
  if (typeof body === 'string' && body.startsWith('{')) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * client-node throws an ApiException with a numeric `code`, lower-cased `headers` and the Status as raw JSON text
 * in `body`; connection failures come as undici's TypeError('fetch failed') with the errno in `cause`.
 */
export function describeKubeError(err: unknown): KubeFailure {
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown; headers?: Record<string, string> };
  // client-node's Watch reports a non-200 answer as an Error with `statusCode` (and no body)
  const code = typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (code === undefined || isNetworkError(err)) {
    return { status: 0, message: isNetworkError(err) ? 'no answer from the Kubernetes API' : String(err) };
  }
  const status = parseBody(e.body);
  const details = (status?.details ?? {}) as { retryAfterSeconds?: unknown; causes?: unknown };
  const header = Number(e.headers?.['retry-after']);
  const retryAfter = Number.isFinite(header) && header >= 0 ? header : Number(details.retryAfterSeconds);
  return {
    status: code,
    reason: typeof status?.reason === 'string' ? status.reason : undefined,
    message: typeof status?.message === 'string' ? status.message : undefined,
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
    causes: Array.isArray(details.causes) ? (details.causes as Array<Record<string, unknown>>) : undefined,
  };
}

/**
 * An error and its causes in one line for the log, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:6443
 * (ECONNREFUSED)`: undici hides the reason a connection failed in `cause`. These messages name hosts, ports and
 * statuses, never request headers, so no credential can reach the log through them.
 */
export function errorChain(err: unknown): string {
  const parts: string[] = [];
  let e = err as { message?: unknown; code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e !== 'object') {
      parts.push(String(e));
      break;
    }
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : undefined;
    const code = typeof e.code === 'string' ? e.code : undefined;
    const part = message && code && !message.includes(code) ? `${message} (${code})` : (message ?? code);
    if (part && !parts.includes(part)) {
      parts.push(part);
    }
    e = e.cause as typeof e;
  }
  return parts.join(': ') || 'unknown error';
}

/** Worth another try: the API server was busy, failing or unreachable, not refusing this request. */
export function isRetryable(f: KubeFailure): boolean {
  return f.status === 0 || f.status === 429 || f.status >= 500;
}

const FORBIDDEN =
  /User "([^"]*)" cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

/** Turns Kubernetes' 403 text into the one line an operator needs: which RBAC rule is missing, and for whom. */
export function missingPermission(
  f: KubeFailure,
  fallback: { verb: string; resource: string; namespace: string }
): string {
  const m = FORBIDDEN.exec(f.message ?? '');
  const [user, verb, resource, namespace] = m
    ? [m[1], m[2], m[3], m[5] ?? fallback.namespace]
    : [undefined, fallback.verb, fallback.resource, fallback.namespace];
  const who = user ? ` (${user})` : '';
  return `Kubernetes refused the proxy's ServiceAccount${who}: it needs RBAC permission to ${verb} ${resource} in namespace "${namespace}"`;
}
