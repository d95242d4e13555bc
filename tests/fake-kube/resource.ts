// One REST resource of the fake API, served the way kube-apiserver serves every built-in resource: its generic
// registry (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go: Create, Get, List, Watch, Update,
// Delete) behind the request handlers (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go, get.go,
// update.go, patch.go, delete.go). A resource is a description (`ResourceKind`: names, verbs, defaults, validation
// and hooks); this file does everything else once for all of them:
// - create: the body's kind and namespace must match the request, generateName draws names until one is free,
//   validation (422 with causes) runs before admission, a taken name is 409 AlreadyExists, dryRun=All answers
//   exactly as the real write would and stores nothing (staging/src/k8s.io/apiserver/pkg/registry/rest/create.go);
// - update (PUT) and patch (merge and strategic merge, which agree on the maps and scalars FlowKube changes; the
//   strategic one merges metadata.finalizers as a set and takes `$deleteFromPrimitiveList/finalizers`, as
//   staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go does for a `patchStrategy:"merge"` list of
//   strings): a stale metadata.resourceVersion is 409 Conflict, identity and server-set metadata and the status
//   subresource keep their values and no finalizer may be added once deletion began (ValidateObjectMetaUpdate,
//   ValidateNoNewFinalizers in staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go), a no-op writes
//   nothing and keeps the resourceVersion (the etcd3 store skips unchanged data), a changed spec bumps
//   metadata.generation where the resource keeps one, and an update that empties the finalizers of an object marked
//   deleting with no grace period left deletes it (store.go, Update and ShouldDeleteDuringUpdate);
// - delete: DeleteOptions from the body or the query, an unsupported propagationPolicy is 422 on DeleteOptions
//   (staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go, BeforeDelete), uid and resourceVersion
//   preconditions are 409 Conflict (staging/src/k8s.io/apiserver/pkg/storage/interfaces.go, Preconditions.Check),
//   a removed object is answered with a Status Success naming it (unless the resource returns deleted objects), and an
//   object with finalizers stays, marked deleting, answered 200 with the object (store.go, Delete);
// - list (label and field selectors, limit and continue) and watch (watch.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdmissionAttributes } from './admission.ts';
import type { Propagation } from './garbage-collector.ts';
import { decodeContinue, encodeContinue } from './continue.ts';
import { intParam, isObject, isStatus, readBody, reasonFor, sendJson, sendStatus } from './http.ts';
import { generateName, timestamp } from './objects.ts';
import type { Route, Verb } from './routes.ts';
import {
  matchesFields,
  matchesLabels,
  META_FIELDS,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type FieldRequirement,
  type FieldTable,
  type LabelRequirement,
} from './selectors.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  methodNotAllowed,
  notFound,
  status,
  type Status,
  type StatusCause,
} from './status.ts';
import { clone, jsonWithKind, ObjectStore, podJson, type Revision, type StoredObject, type TypeMeta } from './store.ts';
import { serveWatch, type OpenWatch } from './watch.ts';

export type Json = Record<string, unknown>;

/** What every resource of one fake shares. */
export interface ApiContext {
  /** etcd's revision: one counter for every store. */
  revision: Revision;
  historyLimit: number;
  bookmarkIntervalMs: number;
  namespaces: Set<string>;
  /** The server's open watches, so closeWatches() and stop() end every one. */
  watches: Set<OpenWatch>;
  brokenWatchStatus: () => number | undefined;
}

interface DeleteRequest {
  propagationPolicy: Propagation | undefined;
  gracePeriodSeconds: number | undefined;
}

interface DeleteOutcome<T> {
  /** The object when it stays for now (graceful or foreground deletion); it is the answer then. */
  remaining?: T;
  headers?: Record<string, string>;
}

/** One resource: what is its own. Everything a resource does not say is done as the generic registry does it. */
export interface ResourceKind<T extends StoredObject> {
  /** The API group ('' for the core group); the version is v1 for every resource here. */
  group: string;
  /** The plural, as URLs, RBAC and Status details name it. */
  resource: string;
  kind: string;
  verbs: readonly Verb[];
  shortNames?: string[];
  /** Field selectors beyond metadata.name and metadata.namespace. */
  fields?: FieldTable<T>;
  /** A Status for a body the decoder already refuses (wrong JSON types: 400), before names and validation. */
  decode?(body: Json): Status | undefined;
  /** The object a create stores: the body with defaults and server-set metadata (`newObject`). */
  admit(body: Json, namespace: string, name: string): T;
  /** Why a create is invalid (422), judged on the admitted object or on the body as sent. */
  createErrors(object: T, body: Json): StatusCause[];
  /** Admission after validation (quota, webhooks): a refusal, or undefined. Dry runs are admitted too. */
  admission?(object: T, attrs: AdmissionAttributes): Status | undefined;
  /** After a create was stored (the kubelet starts the Pod). */
  created?(stored: T): void;
  /** Why turning `current` into `next` is invalid (422); required by the update and patch verbs. */
  updateErrors?(current: T, next: T): StatusCause[];
  /** The resource keeps metadata.generation, moved on by every spec change. */
  generation?: boolean;
  /** After an update was stored. */
  updated?(before: T, after: T): void;
  /** What DELETE does once its options are valid and its preconditions hold; default: remove at once. */
  delete?(current: T, request: DeleteRequest): DeleteOutcome<T>;
  /** A delete answers with the object rather than a Status (the registry's ReturnDeletedObject, set for Pods). */
  returnsDeletedObject?: boolean;
}

const PATCH_TYPES = new Set(['application/merge-patch+json', 'application/strategic-merge-patch+json']);
const PROPAGATION: readonly string[] = ['Orphan', 'Background', 'Foreground'];
/** ObjectMeta an update cannot change (ValidateObjectMetaUpdate), beside the name and namespace of the URL. */
const KEPT_META = [
  'uid',
  'creationTimestamp',
  'resourceVersion',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];
const STRATEGIC_MERGE = 'application/strategic-merge-patch+json';
const DELETE_FINALIZERS = '$deleteFromPrimitiveList/finalizers';
const DECODE_ERROR = "couldn't get version/kind; json parse error";

/** The object a create stores before the resource's own defaults: server-set metadata, no kind or apiVersion. */
export function newObject(body: Json, namespace: string, name: string, now: Date): Json {
  const object = clone(body);
  // List items carry no kind; single objects get it back on the way out (jsonWithKind).
  delete object.kind;
  delete object.apiVersion;
  const meta: Json = { ...(isObject(object.metadata) ? object.metadata : {}), name, namespace };
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(now);
  for (const key of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    delete meta[key];
  }
  object.metadata = meta;
  return object;
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, anything else (arrays included) replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) {
    return clone(patch);
  }
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else {
      out[key] = mergePatch(out[key], value);
    }
  }
  return out;
}

/**
 * A strategic merge patch of an object whose only merge-strategy list FlowKube sends is metadata.finalizers: the
 * patch's finalizers are added to the current ones (each once, in order), the directive's are removed, null drops the
 * list; everything else merges as a JSON merge patch does.
 */
function strategicMergePatch(target: Json, patch: Json): unknown {
  const patchMeta = isObject(patch.metadata) ? { ...patch.metadata } : undefined;
  const current = (isObject(target.metadata) ? target.metadata.finalizers : undefined) as string[] | undefined;
  if (!patchMeta || (patchMeta.finalizers === undefined && patchMeta[DELETE_FINALIZERS] === undefined)) {
    return mergePatch(target, patch);
  }
  const added = Array.isArray(patchMeta.finalizers) ? (patchMeta.finalizers as string[]) : [];
  const removed = new Set(
    Array.isArray(patchMeta[DELETE_FINALIZERS]) ? (patchMeta[DELETE_FINALIZERS] as string[]) : []
  );
  const merged = patchMeta.finalizers === null ? [] : [...new Set([...(current ?? []), ...added])];
  const finalizers = merged.filter((f) => !removed.has(f));
  delete patchMeta[DELETE_FINALIZERS];
  patchMeta.finalizers = finalizers.length > 0 ? finalizers : null;
  return mergePatch(target, { ...patch, metadata: patchMeta });
}

/** ValidateNoNewFinalizers, which ValidateObjectMetaUpdate applies once the object is being deleted. */
function newFinalizerCauses(current: StoredObject, next: StoredObject): StatusCause[] {
  if (current.metadata?.deletionTimestamp === undefined) {
    return [];
  }
  const before = new Set(current.metadata.finalizers ?? []);
  const extra = [...new Set(next.metadata?.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  if (extra.length === 0) {
    return [];
  }
  const list = `[]string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`;
  const why = 'no new finalizers can be added if the object is being deleted';
  const message = `Forbidden: ${why}, found new finalizers ${list}`;
  return [{ reason: 'FieldValueForbidden', message, field: 'metadata.finalizers' }];
}

/** The registry's ShouldDeleteDuringUpdate: no finalizers left on an object marked deleting with no grace left. */
function deletesOnUpdate(current: StoredObject, next: StoredObject): boolean {
  const grace = current.metadata?.deletionGracePeriodSeconds;
  return (
    (next.metadata?.finalizers ?? []).length === 0 &&
    current.metadata?.deletionTimestamp !== undefined &&
    (grace === undefined || grace === 0)
  );
}

async function readJson(req: IncomingMessage, decodeError: string): Promise<Json | Status> {
  const text = await readBody(req);
  if (isStatus(text)) {
    return text;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return badRequest(`${decodeError}: ${(err as Error).message}`);
  }
  return isObject(body) ? body : badRequest(`${decodeError}: expected an object`);
}

/** One request on one object. */
interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  namespace: string;
  name: string;
  query: Record<string, string>;
}

/** A copy with object keys in order and undefined values dropped, so equal objects stringify alike. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (!isObject(value)) {
    return value;
  }
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) {
      out[key] = canonical(value[key]);
    }
  }
  return out;
}

/** Equal as stored data: etcd compares the serialized bytes, whose field order the API types fix. */
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

export class ResourceApi<T extends StoredObject> {
  readonly store: ObjectStore<T>;
  readonly kind: ResourceKind<T>;
  readonly type: TypeMeta;
  private readonly ctx: ApiContext;
  private readonly fields: FieldTable<T>;

  constructor(ctx: ApiContext, kind: ResourceKind<T>, store = new ObjectStore<T>(ctx.historyLimit, ctx.revision)) {
    this.ctx = ctx;
    this.kind = kind;
    this.store = store;
    this.type = { kind: kind.kind, apiVersion: kind.group === '' ? 'v1' : `${kind.group}/v1` };
    this.fields = { ...META_FIELDS, ...kind.fields };
  }

  async serve(req: IncomingMessage, res: ServerResponse, r: Route, query: Record<string, string>): Promise<void> {
    const namespace = r.namespace ?? '';
    const name = r.name ?? '';
    switch (r.verb) {
      case 'list':
        return this.list(res, r.namespace, query);
      case 'watch':
        return this.watch(res, r.namespace, query);
      case 'get': {
        const found = this.store.get(namespace, name);
        return found ? this.send(res, 200, found) : sendStatus(res, this.notFound(name));
      }
      case 'create': {
        const body = await readJson(req, DECODE_ERROR);
        const created = isStatus(body) ? body : this.create(namespace, body, query.dryRun === 'All');
        return isStatus(created) ? sendStatus(res, created) : this.send(res, 201, created);
      }
      case 'update':
        return this.replace({ req, res, namespace, name, query });
      case 'patch':
        return this.patch({ req, res, namespace, name, query });
      case 'delete':
        return this.delete({ req, res, namespace, name, query });
      default:
        return sendStatus(res, methodNotAllowed());
    }
  }

  /** A create as the API does it, for HTTP and for the controllers (no RBAC): the stored object or the Status. */
  create(namespace: string, body: Json, dryRun: boolean): T | Status {
    const refused = this.checkBody(namespace, body);
    if (refused) {
      return refused;
    }
    const undecodable = this.kind.decode?.(body);
    if (undecodable) {
      return undecodable;
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    let name = typeof meta.name === 'string' ? meta.name : '';
    const prefix = typeof meta.generateName === 'string' ? meta.generateName : '';
    if (name === '' && prefix !== '') {
      do {
        name = generateName(prefix);
      } while (this.store.get(namespace, name));
    }
    const object = this.kind.admit(body, namespace, name);
    const causes = this.kind.createErrors(object, body);
    if (causes.length > 0) {
      return this.invalid(name, causes);
    }
    const refusal = this.kind.admission?.(object, { namespace, name, dryRun });
    if (refusal) {
      return refusal;
    }
    if (this.store.get(namespace, name)) {
      return alreadyExists(this.kind.resource, name, this.kind.group);
    }
    if (dryRun) {
      return object;
    }
    const stored = this.store.add(object);
    this.kind.created?.(stored);
    return stored;
  }

  private notFound(name: string): Status {
    return notFound(this.kind.resource, name, this.kind.group);
  }

  private invalid(name: string, causes: StatusCause[]): Status {
    return invalid(this.kind.kind, name, causes, this.kind.group);
  }

  private send(res: ServerResponse, code: number, object: T, headers: Record<string, string> = {}): void {
    const text = jsonWithKind(object, this.type);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  /** What create and update refuse before looking at the object itself: the namespace, the kind. */
  private checkBody(namespace: string, body: Json): Status | undefined {
    if (!this.ctx.namespaces.has(namespace)) {
      return notFound('namespaces', namespace);
    }
    const { kind, apiVersion } = this.type;
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
    return undefined;
  }

  private selectors(
    query: Record<string, string>
  ): { labels: LabelRequirement[]; fields: FieldRequirement[] } | Status {
    try {
      return {
        labels: parseLabelSelector(query.labelSelector ?? ''),
        fields: parseFieldSelector(query.fieldSelector ?? '', this.fields),
      };
    } catch (err) {
      if (err instanceof SelectorError) {
        return badRequest(err.message);
      }
      throw err;
    }
  }

  private matcher(sel: { labels: LabelRequirement[]; fields: FieldRequirement[] }): (o: T) => boolean {
    return (o) => matchesLabels(sel.labels, o.metadata?.labels) && matchesFields(sel.fields, o, this.fields);
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
    // etcd3's GetList (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go): every chunk answers with the first
    // chunk's resourceVersion, and the count of what is left only when no selector drops objects from it
    let after: string | undefined;
    let rv = this.ctx.revision.rv;
    if (query.continue) {
      const token = decodeContinue(query.continue);
      if (isStatus(token)) {
        return sendStatus(res, token);
      }
      after = namespace === undefined ? token.start : `${namespace}/${token.start}`;
      rv = token.rv;
    }
    const chunk = this.store.page(
      namespace,
      after,
      limit !== undefined && limit > 0 ? limit : Infinity,
      this.matcher(sel)
    );
    const items = chunk.items;
    const metadata: Json = { resourceVersion: String(rv) };
    if (chunk.more && chunk.lastKey !== undefined) {
      const start = namespace === undefined ? chunk.lastKey : chunk.lastKey.slice(namespace.length + 1);
      metadata.continue = encodeContinue(start, rv);
      if (sel.labels.length === 0 && sel.fields.length === 0) {
        metadata.remainingItemCount = chunk.remaining;
      }
    }
    const { kind, apiVersion } = this.type;
    const text = `{"kind":"${kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)},"items":[${items.map(podJson).join(',')}]}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private watch(res: ServerResponse, namespace: string | undefined, query: Record<string, string>): void {
    const broken = this.ctx.brokenWatchStatus();
    if (broken !== undefined) {
      return sendStatus(
        res,
        status(broken, reasonFor[broken] ?? 'Unknown', `fake-kube: watch answered with ${broken}`)
      );
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
        matches: this.matcher(sel),
        resourceVersion: rvText === '' || rvText === '0' ? undefined : Number(rvText),
        bookmarks: query.allowWatchBookmarks === 'true',
        bookmarkIntervalMs: this.ctx.bookmarkIntervalMs,
        timeoutSeconds,
        type: this.type,
      },
      res,
      () => this.ctx.watches.delete(watch)
    );
    if (!res.writableEnded) {
      this.ctx.watches.add(watch);
    }
  }

  private staleConflict(name: string): Status {
    return conflict(
      this.kind.resource,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
      this.kind.group
    );
  }

  /** `proposed` as an update may store it: what the server sets or a subresource owns keeps its value. */
  private updatedObject(current: T, proposed: Json): T {
    const next = clone(proposed);
    delete next.kind;
    delete next.apiVersion;
    const meta: Json = { ...(isObject(next.metadata) ? next.metadata : {}) };
    const old = (current.metadata ?? {}) as Json;
    for (const key of ['name', 'namespace', ...KEPT_META]) {
      if (old[key] === undefined) {
        delete meta[key];
      } else {
        meta[key] = old[key];
      }
    }
    next.metadata = meta;
    const currentStatus = (current as Json).status;
    if (currentStatus === undefined) {
      delete next.status;
    } else {
      next.status = clone(currentStatus);
    }
    return next as T;
  }

  /** Validates and stores an update (PUT or patch) of `current`. */
  private commit(res: ServerResponse, current: T, next: T, dryRun: boolean): void {
    const name = current.metadata?.name ?? '';
    const causes = [...newFinalizerCauses(current, next), ...(this.kind.updateErrors?.(current, next) ?? [])];
    if (causes.length > 0) {
      return sendStatus(res, this.invalid(name, causes));
    }
    if (sameJson(next, current)) {
      return this.send(res, 200, current);
    }
    const specChanged = !sameJson((next as Json).spec, (current as Json).spec);
    if (dryRun) {
      return this.send(res, 200, next);
    }
    if (deletesOnUpdate(current, next)) {
      // etcd deletes the stored object, so watchers get DELETED with the last stored state (finalizers and all)
      const gone = this.store.remove(current.metadata?.namespace ?? '', name) ?? current;
      return this.kind.returnsDeletedObject ? this.send(res, 200, gone) : this.sendRemoved(res, gone, {});
    }
    const updated = this.store.update(current.metadata?.namespace ?? '', name, (draft) => {
      const d = draft as Json;
      for (const key of Object.keys(d)) {
        delete d[key];
      }
      Object.assign(d, clone(next));
      if (this.kind.generation && specChanged) {
        (d.metadata as Json).generation = Number(current.metadata?.generation ?? 1) + 1;
      }
    });
    if (updated) {
      this.kind.updated?.(current, updated);
    }
    this.send(res, 200, updated ?? current);
  }

  private async replace(call: Call): Promise<void> {
    const { req, res, namespace, name, query } = call;
    const body = await readJson(req, DECODE_ERROR);
    if (isStatus(body)) {
      return sendStatus(res, body);
    }
    const refused = this.checkBody(namespace, body);
    if (refused) {
      return sendStatus(res, refused);
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (meta.name !== name) {
      return sendStatus(res, badRequest('the name of the object does not match the name on the URL'));
    }
    // update of a missing object is 404: none of these resources allows create-on-update
    const current = this.store.get(namespace, name);
    if (!current) {
      return sendStatus(res, this.notFound(name));
    }
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== current.metadata?.resourceVersion) {
      return sendStatus(res, this.staleConflict(name));
    }
    this.commit(res, current, this.updatedObject(current, body), query.dryRun === 'All');
  }

  private async patch(call: Call): Promise<void> {
    const { req, res, namespace, name, query } = call;
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (!PATCH_TYPES.has(type)) {
      // json-patch and server-side apply are real patch types too; nothing here sends them
      return sendStatus(
        res,
        status(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (fake-kube serves merge and strategic merge patches only)'
        )
      );
    }
    const patch = await readJson(req, 'error decoding patch');
    if (isStatus(patch)) {
      return sendStatus(res, patch);
    }
    const current = this.store.get(namespace, name);
    if (!current) {
      return sendStatus(res, this.notFound(name));
    }
    const patchMeta = isObject(patch.metadata) ? patch.metadata : {};
    if (
      typeof patchMeta.resourceVersion === 'string' &&
      patchMeta.resourceVersion !== current.metadata?.resourceVersion
    ) {
      return sendStatus(res, this.staleConflict(name));
    }
    const patched = type === STRATEGIC_MERGE ? strategicMergePatch(current as Json, patch) : mergePatch(current, patch);
    this.commit(res, current, this.updatedObject(current, patched as Json), query.dryRun === 'All');
  }

  private async delete(call: Call): Promise<void> {
    const { req, res, namespace, name, query } = call;
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
        return sendStatus(res, badRequest(`${DECODE_ERROR}: ${(err as Error).message}`));
      }
    }
    const current = this.store.get(namespace, name);
    if (!current) {
      return sendStatus(res, this.notFound(name));
    }
    const policy = query.propagationPolicy ?? options.propagationPolicy;
    if (policy !== undefined && !PROPAGATION.includes(String(policy))) {
      const message = `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"`;
      const cause = { reason: 'FieldValueNotSupported', message, field: 'propagationPolicy' };
      return sendStatus(res, invalid('DeleteOptions', '', [cause], 'meta.k8s.io'));
    }
    const refused = this.preconditionFailure(current, options.preconditions);
    if (refused) {
      return sendStatus(res, refused);
    }
    const fromQuery = intParam(query, 'gracePeriodSeconds');
    if (isStatus(fromQuery)) {
      return sendStatus(res, fromQuery);
    }
    const gracePeriodSeconds =
      fromQuery ?? (typeof options.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : undefined);
    const request = { propagationPolicy: policy as Propagation | undefined, gracePeriodSeconds };
    const outcome = this.kind.delete ? this.kind.delete(current, request) : this.remove(current);
    if (outcome.remaining) {
      return this.send(res, 200, outcome.remaining, outcome.headers);
    }
    this.sendRemoved(res, current, outcome.headers ?? {});
  }

  private sendRemoved(res: ServerResponse, gone: T, headers: Record<string, string>): void {
    const { group, resource } = this.kind;
    const details = {
      name: gone.metadata?.name ?? '',
      ...(group === '' ? {} : { group }),
      kind: resource,
      uid: gone.metadata?.uid,
    };
    sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }, headers);
  }

  private remove(current: T): DeleteOutcome<T> {
    const remaining = this.store.deleteNow(current.metadata?.namespace ?? '', current.metadata?.name ?? '');
    return remaining ? { remaining } : {};
  }

  private preconditionFailure(current: T, preconditions: unknown): Status | undefined {
    const pre = isObject(preconditions) ? preconditions : {};
    const meta = current.metadata;
    const name = meta?.name ?? '';
    const failed = (why: string) => conflict(this.kind.resource, name, `Precondition failed: ${why}`, this.kind.group);
    if (typeof pre.uid === 'string' && pre.uid !== meta?.uid) {
      return failed(`UID in precondition: ${pre.uid}, UID in object meta: ${meta?.uid}`);
    }
    if (typeof pre.resourceVersion === 'string' && pre.resourceVersion !== meta?.resourceVersion) {
      return failed(
        `ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta?.resourceVersion}`
      );
    }
    return undefined;
  }
}
