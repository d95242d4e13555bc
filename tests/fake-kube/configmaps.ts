// Core v1 ConfigMaps (create, get, list, watch, update, delete) and Events (create, list), answered the way
// kube-apiserver's generic registry answers them. Sources, in kubernetes/kubernetes:
// - pkg/registry/core/configmap/storage/storage.go and pkg/registry/core/event/storage/storage.go: plain
//   genericregistry.Stores without graceful deletion, so DELETE removes at once and answers a Status Success whose
//   details carry name, kind (the resource) and uid (no ReturnDeletedObject);
// - pkg/apis/core/validation/validation.go (ValidateConfigMap): every data key IsConfigMapKey, at most 1 MiB of
//   data in all (`must have at most 1048576 bytes`), the name a DNS-1123 subdomain; (ValidateEventCreate) the
//   involvedObject's namespace must equal the Event's;
// - staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go: an update whose resourceVersion is stale is
//   409 Conflict "Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your
//   changes to the latest version and try again"; update of a missing object is 404 (ConfigMaps do not allow
//   create-on-update); dryRun=All validates and answers without storing.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreV1Event, V1ConfigMap } from '@kubernetes/client-node';
import { intParam, isObject, isStatus, readBody, reasonFor, sendJson, sendStatus } from './http.ts';
import { generateName, timestamp } from './objects.ts';
import type { Route, Verb } from './routes.ts';
import { matchesLabels, parseLabelSelector, SelectorError, type LabelRequirement } from './selectors.ts';
import { alreadyExists, badRequest, invalid, notFound, status, type Status, type StatusCause } from './status.ts';
import { clone, jsonWithKind, ObjectStore, podJson, type Revision, type StoredObject, type TypeMeta } from './store.ts';
import { serveWatch, type OpenWatch } from './watch.ts';

export const CORE_OBJECT_RESOURCES = new Set(['configmaps', 'events']);

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** `/api/v1/[watch/][namespaces/<ns>/]<configmaps|events>[/<name>]` once `rest` starts at the resource. */
export function coreObjectRoute(
  method: string,
  rest: string[],
  namespace: string | undefined,
  isWatch: boolean
): Route | undefined {
  const resource = rest[0] ?? '';
  if (!CORE_OBJECT_RESOURCES.has(resource) || rest.length > 2) {
    return undefined;
  }
  const base = { namespace, resource, kind: 'core' as const, group: '' };
  if (rest.length === 1) {
    const verb: Verb | 'other' =
      method === 'GET' ? (isWatch ? 'watch' : 'list') : method === 'POST' && namespace ? 'create' : 'other';
    return { ...base, verb, rbacVerb: verb };
  }
  const byMethod: Record<string, Verb> = { GET: 'get', PUT: 'update', DELETE: 'delete' };
  const verb = namespace === undefined ? 'other' : (byMethod[method] ?? 'other');
  return { ...base, name: decodeURIComponent(rest[1] ?? ''), verb, rbacVerb: verb };
}

interface Kind {
  store: ObjectStore<StoredObject>;
  type: TypeMeta;
  /** Validation causes for a create or update (field paths as the API server writes them). */
  validate: (obj: StoredObject, namespace: string) => StatusCause[];
}

function validateConfigMap(obj: StoredObject): StatusCause[] {
  const cm = obj as V1ConfigMap;
  const causes: StatusCause[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    if (!CONFIG_MAP_KEY.test(key) || key.length > 253) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
        field: `data[${key}]`,
      });
    }
    size += key.length + Buffer.byteLength(String(value));
  }
  if (size > MAX_CONFIG_MAP_BYTES) {
    causes.push({
      reason: 'FieldValueTooLong',
      message: `Too long: must have at most ${MAX_CONFIG_MAP_BYTES} bytes`,
      field: '',
    });
  }
  return causes;
}

function validateEvent(obj: StoredObject, namespace: string): StatusCause[] {
  const e = obj as CoreV1Event;
  const causes: StatusCause[] = [];
  const ns = e.involvedObject?.namespace;
  if (ns !== undefined && ns !== '' && ns !== namespace) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${ns}": does not match event.namespace`,
      field: 'involvedObject.namespace',
    });
  }
  return causes;
}

export interface CoreObjectsContext {
  revision: Revision;
  historyLimit: number;
  bookmarkIntervalMs: number;
  namespaces: Set<string>;
  watches: Set<OpenWatch>;
  brokenWatchStatus: () => number | undefined;
}

export class CoreObjectsApi {
  /** Plain JSON objects, as stored; index.ts hands out typed copies. */
  readonly configMaps: ObjectStore<StoredObject>;
  readonly events: ObjectStore<StoredObject>;
  private readonly kinds: Map<string, Kind>;
  private readonly ctx: CoreObjectsContext;

  constructor(ctx: CoreObjectsContext) {
    this.ctx = ctx;
    this.configMaps = new ObjectStore<StoredObject>(ctx.historyLimit, ctx.revision);
    this.events = new ObjectStore<StoredObject>(ctx.historyLimit, ctx.revision);
    this.kinds = new Map<string, Kind>([
      [
        'configmaps',
        { store: this.configMaps, type: { kind: 'ConfigMap', apiVersion: 'v1' }, validate: validateConfigMap },
      ],
      ['events', { store: this.events, type: { kind: 'Event', apiVersion: 'v1' }, validate: validateEvent }],
    ]);
  }

  async serve(req: IncomingMessage, res: ServerResponse, r: Route, query: Record<string, string>): Promise<void> {
    const kind = this.kinds.get(r.resource)!;
    const namespace = r.namespace ?? '';
    switch (r.verb) {
      case 'create':
        return this.write(req, res, r.resource, kind, namespace, undefined, query);
      case 'update':
        return this.write(req, res, r.resource, kind, namespace, r.name ?? '', query);
      case 'list':
        return this.list(res, kind, r.namespace, query);
      case 'watch':
        return this.watch(res, kind, r.namespace, query);
      case 'get': {
        const obj = kind.store.get(namespace, r.name ?? '');
        return obj ? this.sendObject(res, 200, obj, kind.type) : sendStatus(res, notFound(r.resource, r.name ?? ''));
      }
      case 'delete': {
        const gone = kind.store.remove(namespace, r.name ?? '');
        if (!gone) {
          return sendStatus(res, notFound(r.resource, r.name ?? ''));
        }
        return sendJson(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name: r.name, kind: r.resource, uid: gone.metadata?.uid },
        });
      }
      default:
        return sendStatus(
          res,
          status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
        );
    }
  }

  private sendObject(res: ServerResponse, code: number, obj: StoredObject, type: TypeMeta): void {
    const text = jsonWithKind(obj, type);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
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

  private list(res: ServerResponse, kind: Kind, namespace: string | undefined, query: Record<string, string>) {
    const labels = this.selector(query);
    if (isStatus(labels)) {
      return sendStatus(res, labels);
    }
    const items = kind.store.list(namespace).filter((o) => matchesLabels(labels, o.metadata?.labels));
    const meta = JSON.stringify({ resourceVersion: String(this.ctx.revision.rv) });
    const text = `{"kind":"${kind.type.kind}List","apiVersion":"v1","metadata":${meta},"items":[${items.map(podJson).join(',')}]}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private watch(res: ServerResponse, kind: Kind, namespace: string | undefined, query: Record<string, string>) {
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
      kind.store,
      {
        namespace,
        matches: (o: StoredObject) => matchesLabels(labels, o.metadata?.labels),
        resourceVersion: rvText === '' || rvText === '0' ? undefined : Number(rvText),
        bookmarks: query.allowWatchBookmarks === 'true',
        bookmarkIntervalMs: this.ctx.bookmarkIntervalMs,
        timeoutSeconds,
        type: kind.type,
      },
      res,
      () => this.ctx.watches.delete(watch)
    );
    if (!res.writableEnded) {
      this.ctx.watches.add(watch);
    }
  }

  /** Create (no `name`) or update (PUT to `name`), with dryRun=All answering exactly as the real write would. */
  private async write(
    req: IncomingMessage,
    res: ServerResponse,
    resource: string,
    kind: Kind,
    namespace: string,
    urlName: string | undefined,
    query: Record<string, string>
  ): Promise<void> {
    const text = await readBody(req);
    if (isStatus(text)) {
      return sendStatus(res, text);
    }
    if (!this.ctx.namespaces.has(namespace)) {
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
      (body.kind !== undefined && body.kind !== kind.type.kind) ||
      (body.apiVersion !== undefined && body.apiVersion !== 'v1')
    ) {
      return sendStatus(
        res,
        badRequest(
          `the object provided is unrecognized (must be of type ${kind.type.kind}): ${String(body.apiVersion)}, Kind=${String(body.kind)}`
        )
      );
    }
    const obj = clone(body) as StoredObject & { kind?: string; apiVersion?: string };
    delete obj.kind;
    delete obj.apiVersion;
    const meta = (obj.metadata ??= {});
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
      return sendStatus(
        res,
        badRequest('the namespace of the provided object does not match the namespace sent on the request')
      );
    }
    if (!meta.name && meta.generateName && urlName === undefined) {
      meta.name = generateName(meta.generateName);
    }
    const name = meta.name ?? '';
    if (urlName !== undefined && name !== urlName) {
      return sendStatus(res, badRequest('the name of the object does not match the name on the URL'));
    }
    const causes: StatusCause[] = [];
    if (name === '') {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      });
    } else if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.name',
      });
    }
    causes.push(...kind.validate(obj, namespace));
    if (causes.length > 0) {
      return sendStatus(res, invalid(kind.type.kind, name, causes));
    }
    meta.namespace = namespace;
    const existing = kind.store.get(namespace, name);
    const dryRun = query.dryRun === 'All';
    if (urlName === undefined) {
      if (existing) {
        return sendStatus(res, alreadyExists(resource, name));
      }
      meta.uid = randomUUID();
      meta.creationTimestamp = timestamp() as never;
      delete meta.resourceVersion;
      if (dryRun) {
        return this.sendObject(res, 201, obj, kind.type);
      }
      return this.sendObject(res, 201, kind.store.add(obj), kind.type);
    }
    if (!existing) {
      return sendStatus(res, notFound(resource, name));
    }
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== existing.metadata?.resourceVersion) {
      return sendStatus(
        res,
        status(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name, kind: resource }
        )
      );
    }
    meta.uid = existing.metadata?.uid;
    meta.creationTimestamp = existing.metadata?.creationTimestamp;
    if (dryRun) {
      return this.sendObject(
        res,
        200,
        { ...obj, metadata: { ...meta, resourceVersion: existing.metadata?.resourceVersion } },
        kind.type
      );
    }
    const updated = kind.store.update(namespace, name, (draft) => {
      for (const key of Object.keys(draft)) {
        delete (draft as Record<string, unknown>)[key];
      }
      Object.assign(draft, clone(obj));
    });
    return this.sendObject(res, 200, updated!, kind.type);
  }
}
