// batch/v1 CronJobs and Jobs over HTTP: create, get, list and watch (label selectors), merge patch, delete with
// propagation policies, Status bodies with the group in them (`cronjobs.batch "x" not found`), as the API server's
// generic registry answers (k8s.io/apiserver pkg/registry/generic/registry/store.go). The controllers behind them
// live in cronjob-controller.ts, job-controller.ts, ttl-controller.ts and garbage-collector.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { admitCronJob, admitJob, cronJobErrors, jobErrors, mergePatch } from './batch-objects.ts';
import type { FakeClock } from './clock.ts';
import { CronJobController } from './cronjob-controller.ts';
import { GarbageCollector, type Propagation } from './garbage-collector.ts';
import { JobController } from './job-controller.ts';
import { TtlController } from './ttl-controller.ts';
import { intParam, isObject, isStatus, readBody, sendJson, sendStatus, reasonFor } from './http.ts';
import type { Kubelet } from './kubelet.ts';
import { generateName } from './objects.ts';
import type { Route } from './routes.ts';
import { matchesLabels, parseLabelSelector, SelectorError, type LabelRequirement } from './selectors.ts';
import { badRequest, status, type Status, type StatusCause } from './status.ts';
import { clone, jsonWithKind, ObjectStore, podJson, type PodStore, type Revision, type TypeMeta } from './store.ts';
import { serveWatch, type OpenWatch } from './watch.ts';

export interface BatchContext {
  revision: Revision;
  historyLimit: number;
  bookmarkIntervalMs: number;
  namespaces: Set<string>;
  /** The server's open watches, so closeWatches() and stop() end these too. */
  watches: Set<OpenWatch>;
  brokenWatchStatus: () => number | undefined;
  pods: PodStore;
  kubelet: Kubelet;
  clock: FakeClock;
}

type Json = Record<string, unknown>;
type BatchObject = V1CronJob | V1Job;

interface Resource<T extends BatchObject> {
  plural: 'cronjobs' | 'jobs';
  type: TypeMeta;
  store: ObjectStore<T>;
  admit(body: Json, namespace: string, name: string, now: Date): T;
  errors(object: Json, create: boolean): StatusCause[];
  /** What DELETE does without a propagationPolicy (batch/v1 Jobs orphan their Pods for compatibility). */
  defaultPropagation: Propagation;
}

const GROUP = 'batch';
const JOB_ORPHAN_WARNING =
  '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"';
const PATCH_TYPES = new Set(['application/merge-patch+json', 'application/strategic-merge-patch+json']);

const groupNotFound = (plural: string, name: string): Status =>
  status(404, 'NotFound', `${plural}.${GROUP} "${name}" not found`, { name, group: GROUP, kind: plural });

export class BatchApi {
  readonly cronJobs: ObjectStore<V1CronJob>;
  readonly jobs: ObjectStore<V1Job>;
  readonly gc: GarbageCollector;
  readonly cronJobController: CronJobController;
  readonly jobController: JobController;
  readonly ttlController: TtlController;
  private readonly ctx: BatchContext;
  private readonly ticker: NodeJS.Timeout;
  private readonly stopClock: () => void;
  private readonly resources: { cronjobs: Resource<V1CronJob>; jobs: Resource<V1Job> };

  constructor(ctx: BatchContext) {
    this.ctx = ctx;
    this.cronJobs = new ObjectStore<V1CronJob>(ctx.historyLimit, ctx.revision);
    this.jobs = new ObjectStore<V1Job>(ctx.historyLimit, ctx.revision);
    this.gc = new GarbageCollector({ cronJobs: this.cronJobs, jobs: this.jobs, pods: ctx.pods, kubelet: ctx.kubelet });
    this.resources = {
      cronjobs: {
        plural: 'cronjobs',
        type: { kind: 'CronJob', apiVersion: 'batch/v1' },
        store: this.cronJobs,
        admit: admitCronJob,
        errors: cronJobErrors,
        defaultPropagation: 'Background',
      },
      jobs: {
        plural: 'jobs',
        type: { kind: 'Job', apiVersion: 'batch/v1' },
        store: this.jobs,
        admit: admitJob,
        errors: (job, create) => (create ? jobErrors(job) : []),
        defaultPropagation: 'Orphan',
      },
    };
    const deleteJob = (namespace: string, name: string, p: Propagation) => this.gc.delete('jobs', namespace, name, p);
    this.jobController = new JobController({
      jobs: this.jobs,
      pods: ctx.pods,
      kubelet: ctx.kubelet,
      clock: ctx.clock,
      deletePod: (pod) => this.gc.deletePod(pod),
    });
    this.cronJobController = new CronJobController({
      cronJobs: this.cronJobs,
      jobs: this.jobs,
      clock: ctx.clock,
      createJob: (namespace, body) => this.createJob(namespace, body),
      deleteJob,
    });
    this.ttlController = new TtlController({ jobs: this.jobs, clock: ctx.clock, deleteJob });
    const syncAll = () => {
      this.cronJobController.syncAll();
      this.jobController.resyncAll();
      this.ttlController.syncAll();
    };
    this.stopClock = ctx.clock.onAdvance(syncAll);
    // the real controllers resync on their own too; one tick a second keeps real-time schedules firing
    this.ticker = setInterval(syncAll, 1000).unref();
  }

  stop(): void {
    clearInterval(this.ticker);
    this.stopClock();
  }

  /** A create as the API would do it, for the controllers (no HTTP, no RBAC): the stored object or the Status. */
  createJob(namespace: string, body: Json): V1Job | Status {
    return this.createObject(this.resources.jobs, namespace, body, false);
  }

  deleteJob(namespace: string, name: string, propagation: Propagation): boolean {
    return this.gc.delete('jobs', namespace, name, propagation);
  }

  async serve(req: IncomingMessage, res: ServerResponse, r: Route, query: Record<string, string>): Promise<void> {
    if (r.resource === '') {
      return this.discovery(res);
    }
    return r.resource === 'cronjobs'
      ? this.serveResource(req, res, r, query, this.resources.cronjobs)
      : this.serveResource(req, res, r, query, this.resources.jobs);
  }

  private async serveResource<T extends BatchObject>(
    req: IncomingMessage,
    res: ServerResponse,
    r: Route,
    query: Record<string, string>,
    resource: Resource<T>
  ): Promise<void> {
    switch (r.verb) {
      case 'list':
        return this.list(res, resource, r.namespace, query);
      case 'watch':
        return this.watch(res, resource, r.namespace, query);
      case 'get': {
        const found = resource.store.get(r.namespace ?? '', r.name ?? '');
        return found
          ? this.sendObject(res, 200, resource, found)
          : sendStatus(res, groupNotFound(resource.plural, r.name ?? ''));
      }
      case 'create':
        return this.create(req, res, resource, r.namespace ?? '', query);
      case 'patch':
        return this.patch(req, res, resource, r.namespace ?? '', r.name ?? '');
      case 'delete':
        return this.delete(req, res, resource, r.namespace ?? '', r.name ?? '', query);
      default:
        return sendStatus(
          res,
          status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
        );
    }
  }

  private discovery(res: ServerResponse): void {
    const verbs = ['create', 'delete', 'get', 'list', 'patch', 'watch'];
    sendJson(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'batch/v1',
      resources: [
        { name: 'cronjobs', singularName: 'cronjob', namespaced: true, kind: 'CronJob', verbs, shortNames: ['cj'] },
        { name: 'jobs', singularName: 'job', namespaced: true, kind: 'Job', verbs },
      ],
    });
  }

  private sendObject<T extends BatchObject>(
    res: ServerResponse,
    code: number,
    resource: Resource<T>,
    object: T,
    headers: Record<string, string> = {}
  ): void {
    const text = jsonWithKind(object, resource.type);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private selector(query: Record<string, string>): LabelRequirement[] | Status {
    try {
      return parseLabelSelector(query.labelSelector ?? '');
    } catch (err) {
      if (err instanceof SelectorError) {
        return badRequest(err.message);
      }
      throw err;
    }
  }

  private list<T extends BatchObject>(
    res: ServerResponse,
    resource: Resource<T>,
    namespace: string | undefined,
    query: Record<string, string>
  ): void {
    const labels = this.selector(query);
    if (isStatus(labels)) {
      return sendStatus(res, labels);
    }
    const limit = intParam(query, 'limit');
    if (isStatus(limit)) {
      return sendStatus(res, limit);
    }
    let items = resource.store.list(namespace).filter((o) => matchesLabels(labels, o.metadata?.labels));
    const metadata: Json = { resourceVersion: String(this.ctx.revision.rv) };
    if (query.continue) {
      const after = Buffer.from(query.continue, 'base64url').toString('utf8');
      items = items.filter((o) => `${o.metadata?.namespace}/${o.metadata?.name}` > after);
    }
    if (limit !== undefined && limit > 0 && items.length > limit) {
      const last = items[limit - 1];
      metadata.continue = Buffer.from(`${last?.metadata?.namespace}/${last?.metadata?.name}`).toString('base64url');
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    const text = `{"kind":"${resource.type.kind}List","apiVersion":"batch/v1","metadata":${JSON.stringify(metadata)},"items":[${items.map(podJson).join(',')}]}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private watch<T extends BatchObject>(
    res: ServerResponse,
    resource: Resource<T>,
    namespace: string | undefined,
    query: Record<string, string>
  ): void {
    const broken = this.ctx.brokenWatchStatus();
    if (broken !== undefined) {
      return sendStatus(
        res,
        status(broken, reasonFor[broken] ?? 'Unknown', `fake-kube: watch answered with ${broken}`)
      );
    }
    const labels = this.selector(query);
    if (isStatus(labels)) {
      return sendStatus(res, labels);
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
      resource.store,
      {
        namespace,
        matches: (o: T) => matchesLabels(labels, o.metadata?.labels),
        resourceVersion: rvText === '' || rvText === '0' ? undefined : Number(rvText),
        bookmarks: query.allowWatchBookmarks === 'true',
        bookmarkIntervalMs: this.ctx.bookmarkIntervalMs,
        timeoutSeconds,
        type: resource.type,
      },
      res,
      () => this.ctx.watches.delete(watch)
    );
    if (!res.writableEnded) {
      this.ctx.watches.add(watch);
    }
  }

  private async readJson(req: IncomingMessage): Promise<Json | Status> {
    const text = await readBody(req);
    if (isStatus(text)) {
      return text;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
    return isObject(body) ? body : badRequest("couldn't get version/kind; json parse error: expected an object");
  }

  private invalid(kind: string, name: string, causes: StatusCause[]): Status {
    const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
    return status(422, 'Invalid', `${kind}.${GROUP} "${name}" is invalid: ${summary}`, {
      name,
      group: GROUP,
      kind,
      causes,
    });
  }

  private createObject<T extends BatchObject>(
    resource: Resource<T>,
    namespace: string,
    body: Json,
    dryRun: boolean
  ): T | Status {
    if (!this.ctx.namespaces.has(namespace)) {
      return status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    const { kind, apiVersion } = resource.type;
    if (
      (body.kind !== undefined && body.kind !== kind) ||
      (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
    ) {
      return badRequest(
        `the object provided is unrecognized (must be of type ${kind}): ${String(body.apiVersion)}, Kind=${String(body.kind)}`
      );
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== namespace) {
      return badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (!isObject(body.spec)) {
      return this.invalid(resource.type.kind, String(meta.name ?? ''), [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec' },
      ]);
    }
    let name = typeof meta.name === 'string' ? meta.name : '';
    const prefix = typeof meta.generateName === 'string' ? meta.generateName : '';
    if (name === '' && prefix !== '') {
      do {
        name = generateName(prefix);
      } while (resource.store.get(namespace, name));
    }
    const object = resource.admit(body, namespace, name, this.ctx.clock.now());
    const causes = resource.errors(object as Json, true);
    if (causes.length > 0) {
      return this.invalid(resource.type.kind, name, causes);
    }
    if (resource.store.get(namespace, name)) {
      return status(409, 'AlreadyExists', `${resource.plural}.${GROUP} "${name}" already exists`, {
        name,
        group: GROUP,
        kind: resource.plural,
      });
    }
    return dryRun ? object : resource.store.add(object);
  }

  private async create<T extends BatchObject>(
    req: IncomingMessage,
    res: ServerResponse,
    resource: Resource<T>,
    namespace: string,
    query: Record<string, string>
  ): Promise<void> {
    const body = await this.readJson(req);
    if (isStatus(body)) {
      return sendStatus(res, body);
    }
    const created = this.createObject(resource, namespace, body, query.dryRun === 'All');
    return isStatus(created) ? sendStatus(res, created) : this.sendObject(res, 201, resource, created);
  }

  private async patch<T extends BatchObject>(
    req: IncomingMessage,
    res: ServerResponse,
    resource: Resource<T>,
    namespace: string,
    name: string
  ): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (!PATCH_TYPES.has(type)) {
      // json-patch and server-side apply are real patch types too; nothing here sends them
      return sendStatus(
        res,
        status(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (fake-kube serves merge and strategic merge patches only)`
        )
      );
    }
    const patch = await this.readJson(req);
    if (isStatus(patch)) {
      return sendStatus(res, patch);
    }
    const current = resource.store.get(namespace, name);
    if (!current) {
      return sendStatus(res, groupNotFound(resource.plural, name));
    }
    const patchMeta = isObject(patch.metadata) ? patch.metadata : {};
    if (
      typeof patchMeta.resourceVersion === 'string' &&
      patchMeta.resourceVersion !== current.metadata?.resourceVersion
    ) {
      return sendStatus(
        res,
        status(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${resource.plural}.${GROUP} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name, group: GROUP, kind: resource.plural }
        )
      );
    }
    // strategic merge equals merge patch for maps and scalars, which is all FlowKube changes
    const next = mergePatch(current, patch) as Json;
    const meta = { ...(isObject(next.metadata) ? next.metadata : {}) };
    // ValidateObjectMetaUpdate: identity and server-set fields keep their values; status is a subresource
    for (const key of ['name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion', 'generation']) {
      meta[key] = (current.metadata as Json | undefined)?.[key];
    }
    next.metadata = meta;
    next.status = clone(current.status ?? {});
    const causes = resource.errors(next, false);
    if (causes.length > 0) {
      return sendStatus(res, this.invalid(resource.type.kind, name, causes));
    }
    if (JSON.stringify(next) === JSON.stringify(current)) {
      // a no-op patch does not write, so the resourceVersion stays
      return this.sendObject(res, 200, resource, current);
    }
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
    const updated = resource.store.update(namespace, name, (draft) => {
      const d = draft as Json;
      for (const key of Object.keys(d)) {
        delete d[key];
      }
      Object.assign(d, clone(next));
      if (specChanged) {
        (d.metadata as Json).generation = Number(current.metadata?.generation ?? 1) + 1;
      }
    });
    return this.sendObject(res, 200, resource, updated ?? current);
  }

  private async delete<T extends BatchObject>(
    req: IncomingMessage,
    res: ServerResponse,
    resource: Resource<T>,
    namespace: string,
    name: string,
    query: Record<string, string>
  ): Promise<void> {
    const text = await readBody(req);
    if (isStatus(text)) {
      return sendStatus(res, text);
    }
    let options: Json = {};
    if (text.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(text);
        options = isObject(parsed) ? parsed : {};
      } catch (err) {
        return sendStatus(res, badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`));
      }
    }
    const current = resource.store.get(namespace, name);
    if (!current) {
      return sendStatus(res, groupNotFound(resource.plural, name));
    }
    const policy = query.propagationPolicy ?? options.propagationPolicy;
    if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(String(policy))) {
      return sendStatus(
        res,
        status(
          422,
          'Invalid',
          `DeleteOptions "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}`,
          {
            causes: [
              {
                reason: 'FieldValueNotSupported',
                message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
                field: 'propagationPolicy',
              },
            ],
          }
        )
      );
    }
    const pre = isObject(options.preconditions) ? options.preconditions : {};
    if (typeof pre.uid === 'string' && pre.uid !== current.metadata?.uid) {
      return sendStatus(
        res,
        status(
          409,
          'Conflict',
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata?.uid}`,
          { name, group: GROUP, kind: resource.plural }
        )
      );
    }
    const propagation = (policy as Propagation | undefined) ?? resource.defaultPropagation;
    const headers: Record<string, string> =
      resource.plural === 'jobs' && policy === undefined ? { Warning: JOB_ORPHAN_WARNING } : {};
    this.gc.delete(resource.plural, namespace, name, propagation);
    const pending = resource.store.get(namespace, name);
    if (pending) {
      // foreground: the object stays, with deletionTimestamp, until its dependents are gone
      return this.sendObject(res, 200, resource, pending, headers);
    }
    sendJson(
      res,
      200,
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, group: GROUP, kind: resource.plural, uid: current.metadata?.uid },
      },
      headers
    );
  }
}
