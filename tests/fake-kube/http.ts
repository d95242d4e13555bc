// Small HTTP helpers shared by the routes: JSON and Status answers, body and query reading.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, status, type Status } from './status.ts';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const reasonFor: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendStatus(res: ServerResponse, body: Status): void {
  const retry = body.details?.retryAfterSeconds;
  sendJson(res, body.code, body, retry !== undefined ? { 'Retry-After': String(retry) } : {});
}

export async function readBody(req: IncomingMessage): Promise<string | Status> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      return status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function intParam(query: Record<string, string>, name: string): number | undefined | Status {
  const raw = query[name];
  if (raw === undefined || raw === '') {
    return undefined;
  }
  if (!/^-?\d+$/.test(raw)) {
    return badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  }
  return Number(raw);
}

export const isStatus = (v: unknown): v is Status => isObject(v) && v.kind === 'Status';
