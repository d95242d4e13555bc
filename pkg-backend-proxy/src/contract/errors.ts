/**
 * Every `error.code` the proxy answers with. The ErrorBody schema (../schemas/common.ts) is built from this list,
 * and the plugin explains each code to a person, so a code added here is one the plugin must learn to word.
 */
export const ERROR_CODES = [
  'bad_request',
  /** No bearer token at all: Grafana's route is missing its token configuration. */
  'unauthorized',
  /** A bearer token was sent but is neither FlowKube token: fix it on the app's configuration page. */
  'token_rejected',
  /** The read token was used to launch or cancel. */
  'forbidden',
  'not_found',
  /** The request clashes with what exists: an Idempotency-Key reused for another request, logs of a job not started. */
  'conflict',
  'payload_too_large',
  /** The client took longer than the server allows to send its request (Node's request or headers timeout). */
  'request_timeout',
  'unsupported_media_type',
  'limit_exceeded',
  'cursor_expired',
  'kube_forbidden',
  'kube_unavailable',
  'not_ready',
  /** The proxy cannot tell whether a launch reached Kubernetes; retrying with the same Idempotency-Key is safe. */
  'outcome_unknown',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
