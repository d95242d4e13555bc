import type { FastifyServerOptions } from 'fastify';

/** pino options for the proxy: JSON lines, and credentials censored even if a serializer ever adds headers. */
export function loggerOptions(
  level: string,
  stream?: NodeJS.WritableStream
): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
      censor: '[redacted]',
    },
    ...(stream ? { stream } : {}),
  };
}
