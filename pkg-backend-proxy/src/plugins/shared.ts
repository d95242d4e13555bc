import type { FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin as not encapsulated, so its decorators and hooks reach the whole app: what fastify-plugin does,
 * without another dependency.
 */
export function shared<T extends Record<string, unknown>>(
  name: string,
  plugin: FastifyPluginAsync<T>
): FastifyPluginAsync<T> {
  const p = plugin as FastifyPluginAsync<T> & Record<symbol, unknown>;
  p[Symbol.for('skip-override')] = true;
  p[Symbol.for('fastify.display-name')] = name;
  return p;
}
