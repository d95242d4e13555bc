import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';
import type { ErrorBody, ErrorCode, FieldError } from '../schemas/index.ts';
import { describeFields, fieldErrors } from '../validation/ajv.ts';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the launch route: its refusals count in flowkube_launch_rejected_total. */
    launch?: boolean;
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'cursor_expired',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'limit_exceeded',
  503: 'not_ready',
};

/** Listed problems per answer: 4,000 unknown keys in a 39 KB body made a 538 KB answer. */
export const MAX_LISTED = 20;

/** The first MAX_LISTED field errors (and Kubernetes causes), the message built from those, and how many were left out. */
export function capListed(body: ErrorBody): ErrorBody {
  const details = body.error.details;
  const fields = details?.fields ?? [];
  const causes = details?.causes ?? [];
  if (fields.length <= MAX_LISTED && causes.length <= MAX_LISTED) {
    return body;
  }
  const capped = { ...details };
  let message = body.error.message;
  if (fields.length > MAX_LISTED) {
    const more = fields.length - MAX_LISTED;
    capped.fields = fields.slice(0, MAX_LISTED);
    capped.unlisted = more;
    message = `${describeFields(capped.fields)}; and ${more} more problem${more === 1 ? '' : 's'} not listed`;
  }
  if (causes.length > MAX_LISTED) {
    capped.causes = causes.slice(0, MAX_LISTED);
    capped.unlisted = Math.max(capped.unlisted ?? 0, causes.length - MAX_LISTED);
  }
  return { error: { ...body.error, message, details: capped } };
}

function send(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(capListed(body));
}

/** The 404 answer. Registered again inside /api/v1 after auth, so that without a token it is a 401 instead. */
export function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0]!.slice(0, 200);
  return send(reply, 404, { error: { code: 'not_found', message: `no route ${request.method} ${path}` } });
}

/** Content-Encoding the proxy decodes: none. A compressed body would otherwise read as broken JSON. */
function refuseEncodedBodies(request: FastifyRequest): void {
  const encoding = String(request.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Content-Encoding "${encoding.slice(0, 40)}" is not accepted: send the body uncompressed`
    );
  }
}

function validationBody(err: FastifyError): ErrorBody {
  const part = err.validationContext;
  let fields: FieldError[] = fieldErrors(err.validation as never);
  if (part === 'body' && fields.length === 1 && fields[0]!.field === 'body') {
    fields = [{ field: 'body', message: 'must be a JSON object' }];
  }
  return { error: { code: 'bad_request', message: describeFields(fields), details: { fields } } };
}

function messageFor(err: FastifyError, status: number, request: FastifyRequest): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `request body is larger than ${request.routeOptions.bodyLimit} bytes`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'send the body as application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the body is empty; send a JSON object';
    default:
      return status === 400 && err instanceof SyntaxError ? `body is not valid JSON: ${err.message}` : err.message;
  }
}

/** One error shape for every answer: `{error:{code,message,details?}}`; 5xx never reveal internals. */
async function errors(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const launch = request.routeOptions.config?.launch === true;
    if (err instanceof HttpError) {
      if (launch && err.rejectReason) {
        app.metrics.launchRejected.inc({ reason: err.rejectReason });
      }
      if (err.statusCode >= 500) {
        request.log.warn({ code: err.code, status: err.statusCode }, err.message);
      }
      reply.headers(err.headers);
      return send(reply, err.statusCode, {
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      });
    }
    if (err.validation) {
      if (launch) {
        app.metrics.launchRejected.inc({ reason: 'invalid' });
      }
      return send(reply, 400, validationBody(err));
    }
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      request.log.error({ err }, 'request failed');
      return send(reply, 500, { error: { code: 'internal', message: 'internal error; see the proxy log' } });
    }
    if (launch) {
      app.metrics.launchRejected.inc({ reason: 'invalid' });
    }
    return send(reply, status, {
      error: { code: CODE_BY_STATUS[status] ?? 'bad_request', message: messageFor(err, status, request) },
    });
  });

  app.setNotFoundHandler(notFound);
  // after onRequest (so a missing token is still a 401), before the body is read
  app.addHook('preParsing', async (request) => refuseEncodedBodies(request));
}

export const errorsPlugin = fp(errors, { name: 'flowkube-errors', dependencies: ['flowkube-metrics'] });
