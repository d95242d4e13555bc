// Validation of Kubernetes objects without a cluster, in two layers:
// - kubernetes-models (compiled from the Kubernetes OpenAPI schemas): required fields, enums, quantities, formats;
// - a walk over @kubernetes/client-node's generated models (getAttributeTypeMap, also generated from the OpenAPI
//   definitions), which kubernetes-models lacks: every field must exist at its place, with a JSON type that fits.
// kubectl would reject (or with client-side apply silently drop) an unknown field; a misspelled `readinessProbe`
// would otherwise pass every check and never probe anything.
import * as k8s from '@kubernetes/client-node';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}
interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

const models = k8s as unknown as Record<string, unknown>;

function modelClass(name: string): ModelClass | undefined {
  const candidate = models[name] as Partial<ModelClass> | undefined;
  return typeof candidate?.getAttributeTypeMap === 'function' ? (candidate as ModelClass) : undefined;
}

/** client-node's class for an apiVersion/kind: `apps/v1` + `Deployment` → V1Deployment. */
export function modelNameFor(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split('/').pop() ?? '';
  const prefix = version.charAt(0).toUpperCase() + version.slice(1);
  const name = `${prefix}${kind}`;
  return modelClass(name) ? name : undefined;
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function walk(value: unknown, type: string, path: string, errors: string[]): void {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) {
      errors.push(`${path}: expected a list, got ${typeOf(value)}`);
      return;
    }
    value.forEach((item, i) => walk(item, array[1]!, `${path}[${i}]`, errors));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeOf(value) !== 'object') {
      errors.push(`${path}: expected a map, got ${typeOf(value)}`);
      return;
    }
    for (const [key, item] of Object.entries(value as object)) {
      walk(item, map[1]!, `${path}.${key}`, errors);
    }
    return;
  }
  switch (type) {
    case 'any':
      return;
    case 'string':
    case 'Date':
      if (typeof value !== 'string') {
        errors.push(`${path}: expected a string, got ${typeOf(value)}`);
      }
      return;
    case 'number':
      if (typeof value !== 'number') {
        errors.push(`${path}: expected a number, got ${typeOf(value)}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') {
        errors.push(`${path}: expected a boolean, got ${typeOf(value)}`);
      }
      return;
    case 'IntOrString':
      if (typeof value !== 'number' && typeof value !== 'string') {
        errors.push(`${path}: expected a number or a string, got ${typeOf(value)}`);
      }
      return;
  }
  const model = modelClass(type);
  if (!model) {
    errors.push(`${path}: no model for type ${type}`);
    return;
  }
  if (typeOf(value) !== 'object') {
    errors.push(`${path}: expected an object (${type}), got ${typeOf(value)}`);
    return;
  }
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value as object)) {
    const attrType = attributes.get(key);
    if (attrType === undefined) {
      errors.push(`${path}.${key}: unknown field (not in ${type})`);
    } else {
      walk(item, attrType, `${path}.${key}`, errors);
    }
  }
}

/** Fields that do not exist in the Kubernetes schema, or whose JSON type is wrong, as `path: problem` lines. */
export function unknownFieldErrors(obj: KubeObject): string[] {
  const name = modelNameFor(obj.apiVersion, obj.kind);
  if (!name) {
    return [`${obj.apiVersion} ${obj.kind}: no Kubernetes model for this kind`];
  }
  const errors: string[] = [];
  walk(obj, name, obj.kind, errors);
  return errors;
}

type ModelConstructor = new (data: unknown) => { validate(): void };

/** kubernetes-models' validation (required fields, enums, formats), as `path message` lines. */
export async function schemaErrors(obj: KubeObject): Promise<string[]> {
  let module: Record<string, unknown>;
  try {
    module = (await import(`kubernetes-models/${obj.apiVersion}`)) as Record<string, unknown>;
  } catch {
    return [`${obj.apiVersion}: not a Kubernetes API version kubernetes-models knows`];
  }
  const Model = module[obj.kind] as ModelConstructor | undefined;
  if (typeof Model !== 'function') {
    return [`${obj.apiVersion} ${obj.kind}: not a kind kubernetes-models knows`];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    return details?.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) ?? [String(error)];
  }
}

/** Both layers together, each line prefixed with the object it is about. */
export async function validateObject(obj: KubeObject): Promise<string[]> {
  const id = `${obj.kind}/${obj.metadata?.name ?? '?'}`;
  const errors = [...(await schemaErrors(obj)), ...unknownFieldErrors(obj)];
  return errors.map((e) => `${id}: ${e}`);
}
