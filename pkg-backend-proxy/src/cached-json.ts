import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One JSON answer made once (per catalog change, say): the bytes, their gzip and a strong ETag of the content. */
export interface CachedJson {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

export function cachedJson(value: unknown): CachedJson {
  const json = Buffer.from(JSON.stringify(value));
  // a content hash, not a revision counter: replicas that hold the same catalog give the same ETag
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
  return { json, gzip: gzipSync(json), etag };
}

/** Whether Accept-Encoding allows gzip (by name or `*`, with a q-value above 0; RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  for (const item of (header ?? '').split(',')) {
    const [coding, ...params] = item.split(';').map((p) => p.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') {
      continue;
    }
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** If-None-Match names this ETag (weakly compared, as RFC 9110 §13.1.2 says for GET), or is `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) {
    return false;
  }
  const trimmed = header.trim();
  return trimmed === '*' || trimmed.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a CachedJson: 304 with no body when the client holds this version, else the gzip bytes when accepted, else
 * the JSON bytes. Buffers go out as they are, without Fastify's serializer. `no-cache` makes a browser revalidate
 * every time, so an answer is never older than the catalog.
 */
export function sendCachedJson(request: FastifyRequest, reply: FastifyReply, body: CachedJson): FastifyReply {
  reply.header('etag', body.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  if (matchesEtag(request.headers['if-none-match'], body.etag)) {
    return reply.code(304).send();
  }
  reply.type('application/json; charset=utf-8');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    return reply.header('content-encoding', 'gzip').send(body.gzip);
  }
  return reply.send(body.json);
}
