import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';
import fp from 'fastify-plugin';

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

/** Where an operator fixes a token, so that the message is enough on its own. */
export const TOKEN_SETTINGS = 'Administration → Plugins → FlowKube Jobs → Configuration';

/** The token_rejected message: which token the request needed, and where it is set. */
export function rejectedMessage(method: string, empty: boolean): string {
  const which = READ_METHODS.has(method) ? 'read' : 'launch';
  const what = empty
    ? `no ${which} token was sent`
    : `the ${which} token was refused (it matches neither FlowKube token)`;
  return `${what}: set the ${which} token on the app's configuration page (${TOKEN_SETTINGS})`;
}

/**
 * Bearer tokens: the read token for GET, the launch token for everything. Digests of equal length let
 * timingSafeEqual compare without leaking where a guess goes wrong. Tokens are never logged.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { readToken: string; launchToken: string }) => {
    const read = digest(opts.readToken);
    const launch = digest(opts.launchToken);

    /** undefined: no Authorization header; 'empty': one without a token in it; null: a token that is neither. */
    function kindOf(request: FastifyRequest): TokenKind | 'empty' | null | undefined {
      const header = request.headers.authorization;
      if (header === undefined) {
        return undefined;
      }
      const m = /^Bearer +([^\s]+) *$/i.exec(header);
      if (!m) {
        // what Grafana sends while the token is not set on the configuration page: `Bearer ` and nothing
        return /^\s*(Bearer\s*)?$/i.test(header) ? 'empty' : null;
      }
      const given = digest(m[1]!);
      // both comparisons always run, so timing does not say which token was close
      const isLaunch = timingSafeEqual(given, launch);
      const isRead = timingSafeEqual(given, read);
      return isLaunch ? 'launch' : isRead ? 'read' : null;
    }

    app.addHook('onRequest', async (request, reply) => {
      const kind = kindOf(request);
      if (kind === undefined) {
        // the client is not yet talking to us in earnest (a slow or probing one): do not keep its connection
        reply.header('www-authenticate', 'Bearer').header('connection', 'close');
        throw new HttpError(401, 'unauthorized', 'no bearer token: send Authorization: Bearer <token>');
      }
      if (kind === null || kind === 'empty') {
        // Not a 401: Grafana's backend_srv reads a 401 as an expired Grafana session, renews it and sends the
        // request again, so a wrong token would double every launch and hide the real problem from the user.
        throw new HttpError(403, 'token_rejected', rejectedMessage(request.method, kind === 'empty'));
      }
      if (kind === 'read' && !READ_METHODS.has(request.method)) {
        throw new HttpError(403, 'forbidden', 'the read token cannot launch or cancel jobs; use the launch token');
      }
      request.tokenKind = kind;
    });
  },
  { name: 'flowkube-auth' }
);
