import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ErrorBody, ErrorCode } from './schemas/index.ts';

export interface ServerTimeouts {
  /** Whole request, headers and body, in ms (Fastify's requestTimeout, Node's server.requestTimeout). */
  requestMs: number;
  /** Headers alone; Node requires it ≤ requestMs, and its own default (60 s) would exceed ours. */
  headersMs: number;
  /** How often Node looks for requests over either limit; its default (30 s) would stretch both. */
  checkIntervalMs: number;
}

/**
 * Long-polls answer within 25 s and log streams send their headers at once, so no legitimate request spends
 * 30 s before its handler runs; a client that trickles its headers or body is cut instead of holding a socket.
 */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { requestMs: 30_000, headersMs: 15_000, checkIntervalMs: 2_000 };

const ANSWERS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    message: 'the request was not received in time; send headers and body without pauses',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'bad_request',
    message: 'the request headers are too large',
  },
};
const MALFORMED = { status: 400, code: 'bad_request' as ErrorCode, message: 'the request is not valid HTTP/1.1' };

/**
 * Node answers malformed, oversized and timed-out requests itself, before Fastify sees them; this writes those
 * answers in the proxy's `{error:{code,message}}` shape. As Node and Fastify's default handler do, it then closes.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const answer = (err.code && ANSWERS[err.code]) || MALFORMED;
  this.log.debug({ code: err.code, status: answer.status }, 'client error');
  if (socket.writable) {
    const body: ErrorBody = { error: { code: answer.code, message: answer.message } };
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
    );
  }
  socket.destroy();
}

/** The Fastify options that bound how long a client may take to send a request. */
export function serverOptions(timeouts: Partial<ServerTimeouts> = {}): FastifyServerOptions {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const headersMs = Math.min(t.headersMs, t.requestMs);
  return {
    requestTimeout: t.requestMs,
    http: { requestTimeout: t.requestMs, headersTimeout: headersMs, connectionsCheckingInterval: t.checkIntervalMs },
    clientErrorHandler,
  } as FastifyServerOptions;
}
