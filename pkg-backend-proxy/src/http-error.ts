import type { ErrorBody, ErrorCode } from './schemas/index.ts';

type Details = NonNullable<ErrorBody['error']['details']>;

/**
 * An answer the proxy means to give (4xx, or a 5xx whose message is safe to show). Anything else that is thrown
 * becomes a generic 500 in the error handler.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly details?: Details;
  readonly headers: Record<string, string>;
  /** flowkube_launch_rejected_total{reason} when this error refuses a launch. */
  readonly rejectReason?: string;

  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    extra: { details?: Details; headers?: Record<string, string>; rejectReason?: string } = {}
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = extra.details;
    this.headers = extra.headers ?? {};
    this.rejectReason = extra.rejectReason;
  }
}

/** What a client is told to wait while a cache makes its first list, which takes a second or two after a start. */
export const NOT_READY_RETRY_SECONDS = 2;

export function retryLater(
  statusCode: number,
  code: ErrorCode,
  message: string,
  seconds: number,
  extra: { limit?: string; rejectReason?: string } = {}
): HttpError {
  return new HttpError(statusCode, code, message, {
    details: { retryAfterSeconds: seconds, ...(extra.limit ? { limit: extra.limit } : {}) },
    headers: { 'retry-after': String(seconds) },
    rejectReason: extra.rejectReason,
  });
}

/** Routes that answer from a cache refuse until its first list is in, rather than answer "nothing". */
export function notReady(cache: string): HttpError {
  return retryLater(
    503,
    'not_ready',
    `the ${cache} cache has not synced with Kubernetes yet; try again shortly`,
    NOT_READY_RETRY_SECONDS
  );
}

/** No such job, or a Pod FlowKube does not manage: the proxy never touches those, so it says the same. */
export function jobNotFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `job "${id}" not found`);
}
