import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';
import { shared } from './shared.ts';

export type TokenKind = 'read' | 'launch';

declare module 'fastify' {
  interface FastifyRequest {
    tokenKind?: TokenKind;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Bearer tokens: the read token for GET, the launch token for everything. Digests of equal length let
 * timingSafeEqual compare without leaking where a guess goes wrong. Tokens are never logged.
 */
export const authPlugin: FastifyPluginAsync<{ readToken: string; launchToken: string }> = shared(
  'flowkube-auth',
  async (app, opts) => {
    const read = digest(opts.readToken);
    const launch = digest(opts.launchToken);

    function kindOf(request: FastifyRequest): TokenKind | undefined {
      const m = /^Bearer +([^\s]+) *$/i.exec(request.headers.authorization ?? '');
      if (!m) {
        return undefined;
      }
      const given = digest(m[1]!);
      // both comparisons always run, so timing does not say which token was close
      const isLaunch = timingSafeEqual(given, launch);
      const isRead = timingSafeEqual(given, read);
      return isLaunch ? 'launch' : isRead ? 'read' : undefined;
    }

    app.addHook('onRequest', async (request, reply) => {
      const kind = kindOf(request);
      if (!kind) {
        reply.header('www-authenticate', 'Bearer');
        throw new HttpError(401, 'unauthorized', 'missing or wrong bearer token');
      }
      if (kind === 'read' && !READ_METHODS.has(request.method)) {
        throw new HttpError(403, 'forbidden', 'the read token cannot launch or cancel jobs; use the launch token');
      }
      request.tokenKind = kind;
    });
  }
);
