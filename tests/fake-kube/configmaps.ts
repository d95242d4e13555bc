// Core v1 ConfigMaps and Events (create, get, list, watch, update, delete): the generic resource handler
// (resource.ts) with their own validation, as kube-apiserver's generic registry serves them. Sources, in
// kubernetes/kubernetes:
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
import type { CoreV1Event, V1ConfigMap } from '@kubernetes/client-node';
import { newObject, ResourceApi, type ApiContext, type Json } from './resource.ts';
import type { Verb } from './routes.ts';
import type { StatusCause } from './status.ts';
import type { ObjectStore, StoredObject } from './store.ts';
import { nameErrors } from './validate.ts';

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

function configMapErrors(cm: V1ConfigMap): StatusCause[] {
  const causes = nameErrors(cm.metadata?.name);
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

function eventErrors(e: CoreV1Event): StatusCause[] {
  const causes = nameErrors(e.metadata?.name);
  const ns = e.involvedObject?.namespace;
  if (ns !== undefined && ns !== '' && ns !== e.metadata?.namespace) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${ns}": does not match event.namespace`,
      field: 'involvedObject.namespace',
    });
  }
  return causes;
}

const VERBS: readonly Verb[] = ['create', 'delete', 'get', 'list', 'update', 'watch'];

export class CoreObjectsApi {
  readonly configMapApi: ResourceApi<V1ConfigMap>;
  readonly eventApi: ResourceApi<CoreV1Event>;
  readonly configMaps: ObjectStore<V1ConfigMap>;
  readonly events: ObjectStore<CoreV1Event>;

  constructor(ctx: ApiContext) {
    const admit = <T>(body: Json, namespace: string, name: string) => newObject(body, namespace, name, new Date()) as T;
    this.configMapApi = new ResourceApi<V1ConfigMap>(ctx, {
      group: '',
      resource: 'configmaps',
      kind: 'ConfigMap',
      verbs: VERBS,
      shortNames: ['cm'],
      admit,
      createErrors: configMapErrors,
      updateErrors: (_, next) => configMapErrors(next),
    });
    this.eventApi = new ResourceApi<CoreV1Event>(ctx, {
      group: '',
      resource: 'events',
      kind: 'Event',
      verbs: VERBS,
      shortNames: ['ev'],
      admit,
      createErrors: eventErrors,
      updateErrors: (_, next) => eventErrors(next),
    });
    this.configMaps = this.configMapApi.store;
    this.events = this.eventApi.store;
  }

  /** Both resources, for the server's dispatch. */
  apis(): Array<ResourceApi<StoredObject>> {
    return [this.configMapApi, this.eventApi] as Array<ResourceApi<StoredObject>>;
  }
}
