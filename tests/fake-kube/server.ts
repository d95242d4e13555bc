// The HTTP side of the fake API server: authentication, scripted faults, RBAC denials and the Pod routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { V1Pod } from '@kubernetes/client-node';
import type { AdmissionHook } from './admission.ts';
import { BatchApi } from './batch.ts';
import { CoreObjectsApi } from './configmaps.ts';
import { FakeClock } from './clock.ts';
import { Kubelet } from './kubelet.ts';
import { serveDiscovery } from './discovery.ts';
import { intParam, isObject, isStatus, readBody, reasonFor, sendJson, sendStatus } from './http.ts';
import { admitPod, generateName, timestamp, withKind } from './objects.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type FieldRequirement,
  type LabelRequirement,
} from './selectors.ts';
import {
  alreadyExists,
  badRequest,
  forbidden,
  internalError,
  invalid,
  notFound,
  serviceUnavailable,
  status,
  tooManyRequests,
  unauthorized,
  type Status,
} from './status.ts';
import { patchedPod, podUpdateErrors } from './pod-update.ts';
import { podJson, PodStore, type Revision } from './store.ts';
import { podSchemaProblem, podSemanticErrors } from './validate.ts';
import { LeaseStore } from './leases.ts';
import { quotaRefusal, type PodQuota } from './quota.ts';
import { servePodLog } from './podLog.ts';
import { PUBLIC_PATHS, route, type Fault, type RecordedRequest, type Route, type Verb } from './routes.ts';
import { serveWatch, type OpenWatch } from './watch.ts';

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
  /** etcd's revision, shared by the Pod, batch and Lease stores. */
  readonly revision: Revision = { rv: 1 };
  readonly clock = new FakeClock();
  readonly batch: BatchApi;
  readonly leases: LeaseStore;
  /** ConfigMaps and Events. */
  readonly core: CoreObjectsApi;
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
    this.store = new PodStore(config.historyLimit, this.revision);
    this.kubelet = new Kubelet(this.store, config.kubelet);
    this.batch = new BatchApi({
      revision: this.revision,
      historyLimit: config.historyLimit,
      bookmarkIntervalMs: config.bookmarkIntervalMs,
      namespaces: this.namespaces,
      watches: this.watches,
      brokenWatchStatus: () => this.brokenWatchStatus,
      pods: this.store,
      kubelet: this.kubelet,
      clock: this.clock,
    });
    this.leases = new LeaseStore(this.revision);
    this.core = new CoreObjectsApi({
      revision: this.revision,
      historyLimit: config.historyLimit,
      bookmarkIntervalMs: config.bookmarkIntervalMs,
      namespaces: this.namespaces,
      watches: this.watches,
      brokenWatchStatus: () => this.brokenWatchStatus,
    });
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
    const r = route(method, url.pathname, query);
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
    switch (r.kind) {
      case 'batch':
        return this.batch.serve(req, res, r, query);
      case 'meta':
        return serveDiscovery(res, path, req.headers.host ?? '', this.namespaces, this.store.currentRv());
      case 'pods':
        if (r.verb === 'create') {
          return this.create(req, res, r.namespace ?? '', query);
        }
        if (r.verb === 'list') {
          return this.list(res, r.namespace, query);
        }
        if (r.verb === 'watch') {
          return this.watch(res, r.namespace, query);
        }
        return sendStatus(
          res,
          status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
        );
      case 'pod':
        if (r.verb === 'get') {
          const pod = this.store.get(r.namespace ?? '', r.name ?? '');
          return pod ? sendJson(res, 200, withKind(pod)) : sendStatus(res, notFound('pods', r.name ?? ''));
        }
        if (r.verb === 'delete') {
          return this.delete(req, res, r.namespace ?? '', r.name ?? '', query);
        }
        if (r.verb === 'patch') {
          return this.patch(req, res, r.namespace ?? '', r.name ?? '');
        }
        return sendStatus(
          res,
          status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
        );
      case 'leases':
      case 'lease':
        return this.leases.serve(req, res, r, query, this.namespaces);
      case 'core':
        return this.core.serve(req, res, r, query);
      case 'log':
        return servePodLog(
          res,
          this.store.get(r.namespace ?? '', r.name ?? ''),
          r.name ?? '',
          query,
          (container) => this.kubelet.log(r.namespace ?? '', r.name ?? '', container),
          this.streams
        );
      default:
        return sendStatus(res, status(404, 'NotFound', 'the server could not find the requested resource', {}));
    }
  }

  private selectors(
    query: Record<string, string>
  ): { labels: LabelRequirement[]; fields: FieldRequirement[] } | Status {
    try {
      return {
        labels: parseLabelSelector(query.labelSelector ?? ''),
        fields: parseFieldSelector(query.fieldSelector ?? ''),
      };
    } catch (err) {
      if (err instanceof SelectorError) {
        return badRequest(err.message);
      }
      throw err;
    }
  }

  private list(res: ServerResponse, namespace: string | undefined, query: Record<string, string>): void {
    const sel = this.selectors(query);
    if (isStatus(sel)) {
      return sendStatus(res, sel);
    }
    const limit = intParam(query, 'limit');
    if (isStatus(limit)) {
      return sendStatus(res, limit);
    }
    let items = this.store
      .list(namespace)
      .filter((p) => matchesLabels(sel.labels, p.metadata?.labels) && matchesFields(sel.fields, p));
    const metadata: Record<string, unknown> = { resourceVersion: String(this.store.currentRv()) };
    if (query.continue) {
      // Our continue token is the key of the last item sent (real tokens are opaque too).
      const after = Buffer.from(query.continue, 'base64url').toString('utf8');
      items = items.filter((p) => `${p.metadata?.namespace}/${p.metadata?.name}` > after);
    }
    if (limit !== undefined && limit > 0 && items.length > limit) {
      const last = items[limit - 1];
      metadata.continue = Buffer.from(`${last?.metadata?.namespace}/${last?.metadata?.name}`).toString('base64url');
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    const text = `{"kind":"PodList","apiVersion":"v1","metadata":${JSON.stringify(metadata)},"items":[${items.map(podJson).join(',')}]}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private watch(res: ServerResponse, namespace: string | undefined, query: Record<string, string>): void {
    if (this.brokenWatchStatus !== undefined) {
      const code = this.brokenWatchStatus;
      return sendStatus(res, status(code, reasonFor[code] ?? 'Unknown', `fake-kube: watch answered with ${code}`));
    }
    const sel = this.selectors(query);
    if (isStatus(sel)) {
      return sendStatus(res, sel);
    }
    const rvText = query.resourceVersion ?? '';
    if (rvText !== '' && !/^\d+$/.test(rvText)) {
      return sendStatus(res, badRequest(`invalid resource version: "${rvText}"`));
    }
    const timeoutSeconds = intParam(query, 'timeoutSeconds');
    if (isStatus(timeoutSeconds)) {
      return sendStatus(res, timeoutSeconds);
    }
    const watch = serveWatch(
      this.store,
      {
        namespace,
        matches: (p: V1Pod) => matchesLabels(sel.labels, p.metadata?.labels) && matchesFields(sel.fields, p),
        resourceVersion: rvText === '' || rvText === '0' ? undefined : Number(rvText),
        bookmarks: query.allowWatchBookmarks === 'true',
        bookmarkIntervalMs: this.config.bookmarkIntervalMs,
        timeoutSeconds,
      },
      res,
      () => this.watches.delete(watch)
    );
    if (!res.writableEnded) {
      this.watches.add(watch);
    }
  }

  private async create(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    query: Record<string, string>
  ): Promise<void> {
    const text = await readBody(req);
    if (isStatus(text)) {
      return sendStatus(res, text);
    }
    if (!this.namespaces.has(namespace)) {
      return sendStatus(res, notFound('namespaces', namespace));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return sendStatus(res, badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`));
    }
    if (!isObject(body)) {
      return sendStatus(res, badRequest("couldn't get version/kind; json parse error: expected an object"));
    }
    if (
      (body.kind !== undefined && body.kind !== 'Pod') ||
      (body.apiVersion !== undefined && body.apiVersion !== 'v1')
    ) {
      return sendStatus(
        res,
        badRequest(
          `the object provided is unrecognized (must be of type Pod): ${String(body.apiVersion)}, Kind=${String(body.kind)}`
        )
      );
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== namespace) {
      return sendStatus(
        res,
        badRequest('the namespace of the provided object does not match the namespace sent on the request')
      );
    }
    const schema = podSchemaProblem(body);
    if (schema?.kind === 'decode') {
      return sendStatus(res, badRequest(schema.message));
    }
    let name = typeof meta.name === 'string' ? meta.name : '';
    const prefix = typeof meta.generateName === 'string' ? meta.generateName : '';
    if (name === '' && prefix !== '') {
      do {
        name = generateName(prefix);
      } while (this.store.get(namespace, name));
    }
    // Both checks may report the same field (e.g. a nameless env entry); the API server names each once.
    const causes = [...podSemanticErrors(body), ...(schema?.kind === 'invalid' ? schema.causes : [])].filter(
      (c, i, all) => all.findIndex((o) => o.field === c.field) === i
    );
    if (causes.length > 0) {
      return sendStatus(res, invalid('Pod', name, causes));
    }
    const overQuota = quotaRefusal(this.quotas.get(namespace), this.store.list(namespace), name);
    if (overQuota) {
      return sendStatus(res, overQuota);
    }
    for (const admit of this.admission) {
      const refusal = admit(body as V1Pod, { namespace, name, dryRun: query.dryRun === 'All' });
      if (refusal) {
        return sendStatus(res, refusal);
      }
    }
    if (this.store.get(namespace, name)) {
      return sendStatus(res, alreadyExists('pods', name));
    }
    const pod = admitPod(body as V1Pod, namespace, name, new Date());
    if (query.dryRun === 'All') {
      return sendJson(res, 201, withKind(pod));
    }
    const stored = this.store.add(pod);
    this.kubelet.admit(stored);
    sendJson(res, 201, withKind(stored));
  }

  /** Merge and strategic merge patches (the same for the maps and scalars a Pod update may change). */
  private async patch(req: IncomingMessage, res: ServerResponse, namespace: string, name: string): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json') {
      return sendStatus(
        res,
        status(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (fake-kube serves merge and strategic merge patches only)'
        )
      );
    }
    const text = await readBody(req);
    if (isStatus(text)) {
      return sendStatus(res, text);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(text);
    } catch (err) {
      return sendStatus(res, badRequest(`error decoding patch: ${(err as Error).message}`));
    }
    if (!isObject(patch)) {
      return sendStatus(res, badRequest('error decoding patch: expected a JSON object'));
    }
    const current = this.store.get(namespace, name);
    if (!current) {
      return sendStatus(res, notFound('pods', name));
    }
    const next = patchedPod(current, patch);
    const causes = podUpdateErrors(current, next);
    if (causes.length > 0) {
      return sendStatus(res, invalid('Pod', name, causes));
    }
    if (JSON.stringify(next) === JSON.stringify(current)) {
      // a no-op patch does not write, so the resourceVersion stays
      return sendJson(res, 200, withKind(current));
    }
    const updated = this.store.update(namespace, name, (d) => {
      d.metadata = next.metadata;
      d.spec = next.spec;
    });
    if (updated?.spec?.activeDeadlineSeconds !== current.spec?.activeDeadlineSeconds) {
      this.kubelet.deadlineChanged(namespace, name, updated?.spec?.activeDeadlineSeconds);
    }
    sendJson(res, 200, withKind(updated ?? current));
  }

  private async delete(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    name: string,
    query: Record<string, string>
  ): Promise<void> {
    const text = await readBody(req);
    if (isStatus(text)) {
      return sendStatus(res, text);
    }
    let options: Record<string, unknown> = {};
    if (text.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(text);
        options = isObject(parsed) ? parsed : {};
      } catch (err) {
        return sendStatus(res, badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`));
      }
    }
    const pod = this.store.get(namespace, name);
    if (!pod) {
      return sendStatus(res, notFound('pods', name));
    }
    const policy = query.propagationPolicy ?? options.propagationPolicy;
    if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(String(policy))) {
      return sendStatus(
        res,
        invalid('DeleteOptions', '', [
          {
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
            field: 'propagationPolicy',
          },
        ])
      );
    }
    const pre = isObject(options.preconditions) ? options.preconditions : {};
    if (typeof pre.uid === 'string' && pre.uid !== pod.metadata?.uid) {
      return sendStatus(
        res,
        status(
          409,
          'Conflict',
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${pod.metadata?.uid}`,
          {
            name,
            kind: 'pods',
          }
        )
      );
    }
    const fromQuery = intParam(query, 'gracePeriodSeconds');
    if (isStatus(fromQuery)) {
      return sendStatus(res, fromQuery);
    }
    const requested =
      fromQuery ?? (typeof options.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : undefined);
    let grace = Math.max(0, requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    const phase = pod.status?.phase;
    // As the API server does: nothing runs for an unscheduled or finished Pod, so it goes at once.
    if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') {
      grace = 0;
    }
    const existing = pod.metadata?.deletionTimestamp as unknown as string | undefined;
    if (existing !== undefined) {
      const remaining = Math.max(0, Math.ceil((Date.parse(existing) - Date.now()) / 1000));
      if (grace >= remaining) {
        // Grace periods can only shrink; a repeat DELETE changes nothing.
        return sendJson(res, 200, withKind(pod));
      }
    }
    const updated = this.store.update(namespace, name, (d) => {
      const meta = (d.metadata ??= {});
      meta.deletionTimestamp = timestamp(new Date(Date.now() + grace * 1000)) as unknown as Date;
      meta.deletionGracePeriodSeconds = grace;
    });
    this.kubelet.terminate(namespace, name, grace);
    sendJson(res, 200, withKind(updated ?? pod));
  }
}
