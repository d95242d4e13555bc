// List continue tokens in the API server's own format (kubernetes/kubernetes
// staging/src/k8s.io/apiserver/pkg/storage/continue.go, EncodeContinue and DecodeContinue): base64url without
// padding of {"v":"meta.k8s.io/v1","rv":<the first chunk's resourceVersion>,"start":<key after the prefix>}, the
// start key being the last key sent plus "\u0000" so the next chunk begins right after it. A token that does not
// decode, names another version, has rv 0, an empty start key or one that climbs out of the prefix is refused as
// the API server refuses it: 400 BadRequest "continue key is not valid…".
import { badRequest, type Status } from './status.ts';

const VERSION = 'meta.k8s.io/v1';

export function encodeContinue(lastKey: string, rv: number): string {
  return Buffer.from(JSON.stringify({ v: VERSION, rv, start: `${lastKey}\u0000` })).toString('base64url');
}

/** The key to list after (the last one sent) and the resourceVersion of the list's first chunk. */
export function decodeContinue(token: string): { start: string; rv: number } | Status {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return badRequest('continue key is not valid');
  }
  const t = parsed as { v?: unknown; rv?: unknown; start?: unknown } | null;
  if (!t || typeof t !== 'object' || t.v !== VERSION) {
    return badRequest('continue key is not valid: server does not recognize this encoded version');
  }
  if (typeof t.rv !== 'number' || !Number.isSafeInteger(t.rv) || t.rv <= 0) {
    return badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof t.start !== 'string' || t.start === '') {
    return badRequest('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  }
  // every key the store holds is "<namespace>/<name>" or "<name>": nothing may climb out of the list's prefix
  const start = t.start.endsWith('\u0000') ? t.start.slice(0, -1) : t.start;
  if (start.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return badRequest('continue key is not valid');
  }
  return { start, rv: t.rv };
}
