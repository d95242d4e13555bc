import type { AgentOptions, RequestOptions } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ApiConstructor,
  type ApiType,
  createConfiguration,
  KubeConfig,
  type RequestContext,
  ServerConfiguration,
  setHeaderMiddleware,
} from '@kubernetes/client-node';
import { Agent, type Dispatcher, ProxyAgent } from 'undici';
import { DEFAULT_KUBE_TIMEOUT_MS, undiciHttpApi } from './undici-http.ts';

const USER_AGENT = 'flowkube-proxy';

type DispatcherOptions = ReturnType<KubeConfig['createDispatcherOptions']>;

/** Structural equality that compares Buffers (CA, client cert and key) by content. */
export function sameOptions(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameOptions((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * Connecting and receiving response headers are bounded for every request, watches and followed logs included;
 * body pauses are not, because a watch or a quiet job's log may rightly be silent for long. Plain API calls bound
 * their bodies per request (undici-http.ts); the watch has its own inactivity rule (plugins/job-cache.ts).
 */
function buildDispatcher(options: DispatcherOptions, timeoutMs: number): Dispatcher | undefined {
  const limits = { headersTimeout: timeoutMs, bodyTimeout: 0 };
  switch (options.type) {
    case 'agent':
      return new Agent({ ...limits, connect: { ...options.connect, timeout: timeoutMs } });
    case 'proxy':
      return new ProxyAgent({
        ...limits,
        uri: options.uri,
        requestTls: options.requestTls,
        connect: { ...options.connect, timeout: timeoutMs },
      });
    default:
      return undefined;
  }
}

/**
 * client-node 2.0.1 builds a new undici Agent for every request (KubeConfig.applySecurityAuthentication →
 * createDispatcher), so each API call, watch and log opens a new TCP — in a cluster a new TLS — connection. This
 * KubeConfig authenticates exactly as client-node does (same headers from its authenticators, same TLS options from
 * its own `createDispatcherOptions`) but hands every request one keep-alive dispatcher, rebuilt only when the TLS
 * material changes (a rotated CA or client certificate). Generated API clients, Watch and Log all authenticate
 * through this method, so they all share it. SOCKS proxies are left to client-node (its connector is not exported).
 */
export class PooledKubeConfig extends KubeConfig {
  readonly userAgent = USER_AGENT;
  /** Deadline of every API call, and the connect and headers deadline of watches and log streams. */
  timeoutMs = DEFAULT_KUBE_TIMEOUT_MS;
  private pooled: { options: DispatcherOptions; timeoutMs: number; dispatcher: Dispatcher | undefined } | undefined;

  /** As client-node's, but the clients send with undici's `request` instead of `fetch` (see undici-http.ts). */
  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (!cluster) {
      throw new Error('No active cluster!');
    }
    return new apiClientType(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: this },
        httpApi: undiciHttpApi(() => this.timeoutMs),
        middleware: [setHeaderMiddleware('User-Agent', USER_AGENT)],
      })
    );
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    const cluster = this.getCurrentCluster();
    if (cluster?.proxyUrl?.startsWith('socks')) {
      return super.applySecurityAuthentication(context);
    }
    // the same material client-node collects: CA, client cert/key, skipTLSVerify, servername, auth headers
    const https: RequestOptions & { servername?: string } = {};
    await this.applyToHTTPSOptions(https);
    if (https.auth) {
      context.setHeaderParam('Authorization', `Basic ${Buffer.from(https.auth).toString('base64')}`);
    }
    for (const [key, value] of Object.entries(https.headers ?? {})) {
      context.setHeaderParam(key, `${value}`);
    }
    const agentOptions: AgentOptions = {
      ca: https.ca,
      cert: https.cert,
      key: https.key,
      pfx: https.pfx,
      passphrase: https.passphrase,
    };
    if (https.rejectUnauthorized !== undefined) {
      agentOptions.rejectUnauthorized = https.rejectUnauthorized;
    }
    if (https.servername !== undefined) {
      agentOptions.servername = https.servername;
    }
    const dispatcher = this.dispatcherFor(this.createDispatcherOptions(cluster, agentOptions));
    if (dispatcher) {
      context.setDispatcher(dispatcher);
    }
  }

  /** Closes the shared connections: gracefully, then by force if a stream is still open after `graceMs`. */
  async close(graceMs = 1000): Promise<void> {
    const dispatcher = this.pooled?.dispatcher;
    this.pooled = undefined;
    if (!dispatcher) {
      return;
    }
    const timer = sleep(graceMs, undefined, { ref: false }).then(() => dispatcher.destroy());
    await Promise.race([dispatcher.close(), timer]);
  }

  private dispatcherFor(options: DispatcherOptions): Dispatcher | undefined {
    if (this.pooled && this.pooled.timeoutMs === this.timeoutMs && sameOptions(this.pooled.options, options)) {
      return this.pooled.dispatcher;
    }
    const previous = this.pooled?.dispatcher;
    this.pooled = { options, timeoutMs: this.timeoutMs, dispatcher: buildDispatcher(options, this.timeoutMs) };
    // requests still running on the old connections (a watch, a followed log) finish there
    void previous?.close().catch(() => undefined);
    return this.pooled.dispatcher;
  }
}

/** The given KubeConfig's clusters, users and contexts in a PooledKubeConfig (itself when it already is one). */
export function pooledKubeConfig(source: KubeConfig): PooledKubeConfig {
  if (source instanceof PooledKubeConfig) {
    return source;
  }
  const pooled = new PooledKubeConfig();
  pooled.loadFromOptions({
    clusters: source.getClusters(),
    users: source.getUsers(),
    contexts: source.getContexts(),
    currentContext: source.getCurrentContext(),
  });
  return pooled;
}
