import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';

/** Keys refused anywhere in a body: assigning them could alter the prototype of the proxy's own objects. */
function forbiddenKey(value: unknown, path: string): { field: string; key: string } | undefined {
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const field = Array.isArray(value) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    if (key === '__proto__') {
      return { field, key };
    }
    if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) {
      return { field: `${field}.prototype`, key: 'constructor.prototype' };
    }
    const inner = forbiddenKey(child, field);
    if (inner) {
      return inner;
    }
  }
  return undefined;
}

/**
 * The JSON body parser. Fastify's own refuses `__proto__` and `constructor.prototype` too (secure-json-parse), but
 * answers "Body is not valid JSON" for them and for real syntax errors alike; this one says which it is, and where.
 */
export function parseJsonBody(
  _request: FastifyRequest,
  body: string,
  done: (err: Error | null, value?: unknown) => void
): void {
  if (body === '') {
    done(new HttpError(400, 'bad_request', 'the body is empty; send a JSON object', { rejectReason: 'invalid' }));
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    done(
      new HttpError(400, 'bad_request', `body is not valid JSON: ${(err as Error).message}`, {
        rejectReason: 'invalid',
      })
    );
    return;
  }
  const bad = forbiddenKey(value, '');
  if (bad) {
    const message = `is a "${bad.key}" key, which the proxy refuses in any body (it could alter the proxy's objects)`;
    done(
      new HttpError(400, 'bad_request', `${bad.field} ${message}; the JSON itself is valid`, {
        details: { fields: [{ field: bad.field, message }] },
        rejectReason: 'invalid',
      })
    );
    return;
  }
  done(null, value);
}
