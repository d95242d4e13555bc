// The HTTP side of the fake API server: authentication, scripted faults, RBAC denials, and dispatch to the served
// resources (resource.ts), the Pod log and discovery.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { V1Lease, V1Pod } from '@kubernetes/client-node';
import type { AdmissionHook } from './admission.ts';
import { BatchApi } from './batch.ts';
import { CoreObjectsApi } from './configmaps.ts';
import { FakeClock } from './clock.ts';
import { Kubelet } from './kubelet.ts';
import { serveDiscovery } from './discovery.ts';
import { reasonFor, sendStatus } from './http.ts';
import { LEASES } from './leases.ts';
import { podKind } from './pods.ts';
import { servePodLog } from './podLog.ts';
import type { PodQuota } from './quota.ts';
import { ResourceApi, type ApiContext } from './resource.ts';
import { PUBLIC_PATHS, route, type Fault, type RecordedRequest, type Route, type Verb } from './routes.ts';
import {
  forbidden,
  internalError,
  invalid,
  status,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
  type Status,
} from './status.ts';
import { PodStore, type Revision, type StoredObject } from './store.ts';
import type { OpenWatch } from './watch.ts';

export type { Fault, RecordedRequest, Verb } from './routes.ts';

export interface ServerConfig {
  token: string;
  user: string;
  namespaces: string[];
  historyLimit: number;
  bookmarkIntervalMs: number;
  kubelet: { workerImage: string; pythonDir: string; python: string; startDelayMs: number };
}

/** Faults are scripted per `<resource>:<verb>` for Leases, ConfigMaps and Events, per verb for everything else. */
const faultKey = (verb: string, resource: string): string =>
  ['leases', 'configmaps', 'events'].includes(resource) ? `${resource}:${verb}` : verb;

export class FakeApiServer {
  readonly store: PodStore;
  readonly kubelet: Kubelet;
  /** etcd's revision, shared by every store. */
  readonly revision: Revision = { rv: 1 };
  readonly clock = new FakeClock();
  readonly pods: ResourceApi<V1Pod>;
  readonly batch: BatchApi;
  readonly leases: ResourceApi<V1Lease>;
  /** ConfigMaps and Events. */
  readonly core: CoreObjectsApi;
  /** Every served resource by `<group>/<resource>`. */
  readonly resources = new Map<string, ResourceApi<StoredObject>>();
  /** Admission plugins and webhooks that may refuse a Pod create (dry run or not), in order. */
  readonly admission: AdmissionHook[] = [];
  readonly requests: RecordedRequest[] = [];
  /** ResourceQuota on the `pods` count, by namespace. */
  readonly quotas = new Map<string, PodQuota>();
  private readonly config: ServerConfig;
  private readonly namespaces: Set<string>;
  /** Scripted faults by verb (Pods) or `leases:<verb>`. */
  private readonly faults = new Map<string, Fault[]>();
  private readonly denied = new Set<string>();
  private readonly watches = new Set<OpenWatch>();
  private readonly streams = new Set<ServerResponse>();
  private brokenWatchStatus: number | undefined;

  constructor(config: ServerConfig) {
    this.config = config;
    this.namespaces = new Set(config.namespaces);
    const ctx: ApiContext = {
      revision: this.revision,
      historyLimit: config.historyLimit,
      bookmarkIntervalMs: config.bookmarkIntervalMs,
      namespaces: this.namespaces,
      watches: this.watches,
      brokenWatchStatus: () => this.brokenWatchStatus,
    };
    this.store = new PodStore(config.historyLimit, this.revision);
    this.kubelet = new Kubelet(this.store, config.kubelet);
    const podDeps = { store: this.store, kubelet: this.kubelet, quotas: this.quotas, admission: this.admission };
    this.pods = new ResourceApi(ctx, podKind(podDeps), this.store);
    this.batch = new BatchApi({ ...ctx, pods: this.store, kubelet: this.kubelet, clock: this.clock });
    this.leases = new ResourceApi(ctx, LEASES);
    this.core = new CoreObjectsApi(ctx);
    for (const api of [this.pods, ...this.batch.apis(), this.leases, ...this.core.apis()]) {
      this.resources.set(`${api.kind.group}/${api.kind.resource}`, api as ResourceApi<StoredObject>);
    }
  }

  failNext(verb: Verb, fault: Fault, count = 1, resource = 'pods'): void {
    const key = faultKey(verb, resource);
    const queue = this.faults.get(key) ?? [];
    for (let i = 0; i < count; i++) {
      queue.push(fault);
    }
    this.faults.set(key, queue);
  }

  forbid(verb: Verb, resource?: string): void {
    this.denied.add(this.rbacKey(verb, resource));
  }

  allow(verb: Verb, resource?: string): void {
    this.denied.delete(this.rbacKey(verb, resource));
  }

  closeWatches(): void {
    for (const watch of [...this.watches]) {
      watch.end();
    }
  }

  breakWatches(code: number | undefined): void {
    this.brokenWatchStatus = code;
  }

  /** Ends every watch and log stream (used by stop). */
  closeStreams(): void {
    this.closeWatches();
    for (const res of this.streams) {
      res.end();
    }
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendStatus(res, internalError(err instanceof Error ? err.message : String(err)));
      } else {
        res.destroy();
      }
    });
  };

  private rbacKey(verb: Verb, resource?: string): string {
    return verb === 'log' ? `get:${resource ?? 'pods/log'}` : `${verb}:${resource ?? 'pods'}`;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-kube');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const r = route(
      method,
      url.pathname,
      query,
      (group, resource) => this.resources.get(`${group}/${resource}`)?.kind.verbs
    );
    this.requests.push({ method, path: url.pathname, query, verb: r.verb, resource: r.resource });

    const auth = req.headers.authorization;
    const publicPath = PUBLIC_PATHS.has(url.pathname) && auth === undefined;
    if (!publicPath && auth !== `Bearer ${this.config.token}`) {
      return sendStatus(res, unauthorized());
    }
    if (r.verb !== 'other') {
      const fault = this.faults.get(faultKey(r.verb, r.resource))?.shift();
      let resetAfter = false;
      if (fault && 'reset' in fault) {
        req.socket.destroy();
        return;
      }
      if (fault && 'delayMs' in fault) {
        // a slow API server: the request is served late, whether or not its client is still there
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      } else if (fault && 'createThenReset' in fault) {
        resetAfter = true;
      } else if (fault) {
        return sendStatus(res, this.faultStatus(fault, r));
      }
      if (this.denied.has(`${r.rbacVerb}:${r.resource}`)) {
        return sendStatus(res, forbidden(this.config.user, r.rbacVerb, r.resource, r.namespace, r.name, r.group));
      }
      if (resetAfter) {
        // Do the work, then lose the answer: the caller cannot know whether it happened.
        const swallow = new Proxy(res, {
          get: (target, prop) => {
            if (prop === 'writeHead' || prop === 'end' || prop === 'write' || prop === 'flushHeaders') {
              return () => req.socket.destroy();
            }
            const value = Reflect.get(target, prop, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
        return this.dispatch(req, swallow, r, query, url.pathname);
      }
    }
    return this.dispatch(req, res, r, query, url.pathname);
  }

  private faultStatus(fault: { status: number; retryAfterSeconds?: number }, r: Route): Status {
    switch (fault.status) {
      case 429:
        return tooManyRequests(fault.retryAfterSeconds ?? 1);
      case 500:
        return internalError('fake-kube: injected fault');
      case 503:
        return serviceUnavailable();
      case 403:
        return forbidden(this.config.user, r.rbacVerb, r.resource, r.namespace, r.name, r.group);
      case 422:
        return invalid('Pod', r.name ?? '', [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "fault": injected by fake-kube',
            field: 'metadata.name',
          },
        ]);
      default:
        return status(fault.status, reasonFor[fault.status] ?? 'Unknown', `fake-kube: injected ${fault.status}`);
    }
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    r: Route,
    query: Record<string, string>,
    path: string
  ): Promise<void> {
    if (r.kind === 'resource') {
      return this.resources.get(`${r.group}/${r.resource}`)?.serve(req, res, r, query);
    }
    if (r.kind === 'log') {
      const namespace = r.namespace ?? '';
      const name = r.name ?? '';
      const logOf = (container: string) => this.kubelet.log(namespace, name, container);
      return servePodLog(res, this.store.get(namespace, name), name, query, logOf, this.streams);
    }
    const host = req.headers.host ?? '';
    return serveDiscovery(res, path, host, this.namespaces, this.revision.rv, [...this.resources.values()]);
  }
}
