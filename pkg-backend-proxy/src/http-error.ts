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
