// A minimal kustomize, enough to render FlowKube's k8s/ without kubectl: resources (files and directories),
// configMapGenerator (files), images, and patches (JSON 6902 with a target; strategic-merge `$patch: delete`
// and plain map merges). Anything else in a kustomization.yaml is refused, so a field this renderer does not know
// can never be silently ignored by the tests. Name-suffix hashes of generated ConfigMaps are left out on purpose:
// kustomize rewrites the references to them, so checks on the unhashed names stay true.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './k8s-schema.ts';

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'configMapGenerator', 'images', 'patches']);

interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}
interface Patch {
  target?: Target;
  patch?: string;
  path?: string;
}
interface JsonOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}
interface Kustomization {
  resources?: string[];
  configMapGenerator?: Array<{
    name: string;
    namespace?: string;
    files?: string[];
    options?: { labels?: Record<string, string> };
  }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Patch[];
}

/** Every document of a YAML file, throwing with the file name on a syntax error. */
export function parseYamlFile(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors[0]!.message}`);
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) {
      out.push(value);
    }
  }
  return out;
}

function groupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  return parts.length === 1 ? { group: '', version: parts[0]! } : { group: parts[0]!, version: parts[1]! };
}

function matches(obj: KubeObject, t: Target): boolean {
  const gv = groupVersion(obj.apiVersion);
  return (
    (t.group === undefined || t.group === gv.group) &&
    (t.version === undefined || t.version === gv.version) &&
    (t.kind === undefined || t.kind === obj.kind) &&
    (t.name === undefined || t.name === obj.metadata?.name) &&
    (t.namespace === undefined || t.namespace === obj.metadata?.namespace)
  );
}

function pointer(path: string): string[] {
  if (!path.startsWith('/')) {
    throw new Error(`JSON patch path "${path}" must start with /`);
  }
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOp(doc: KubeObject, op: JsonOp): void {
  const keys = pointer(op.path);
  const last = keys.pop()!;
  let parent: unknown = doc;
  for (const key of keys) {
    const next: unknown = (parent as Record<string, unknown> | undefined)?.[key];
    if (next === undefined || next === null || typeof next !== 'object') {
      throw new Error(`JSON patch ${op.op} ${op.path}: ${key} does not exist`);
    }
    parent = next;
  }
  const container = parent as Record<string, unknown> & unknown[];
  const exists = Array.isArray(container) ? Number(last) < container.length : last in container;
  if ((op.op === 'replace' || op.op === 'remove') && !exists) {
    throw new Error(`JSON patch ${op.op} ${op.path}: nothing there to ${op.op}`);
  }
  if (op.op === 'remove') {
    if (Array.isArray(container)) {
      container.splice(Number(last), 1);
    } else {
      delete container[last];
    }
  } else if (Array.isArray(container) && op.op === 'add') {
    container.splice(last === '-' ? container.length : Number(last), 0, op.value);
  } else {
    container[last] = op.value;
  }
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object') {
      mergeInto(current as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = structuredClone(value);
    }
  }
}

function applyPatch(objects: KubeObject[], patch: Patch, dir: string): KubeObject[] {
  const text = patch.patch ?? (patch.path ? readFileSync(join(dir, patch.path), 'utf8') : undefined);
  if (text === undefined) {
    throw new Error(`${dir}: a patch needs "patch" or "path"`);
  }
  const body = parseAllDocuments(text)[0]?.toJS() as unknown;
  if (Array.isArray(body)) {
    if (!patch.target) {
      throw new Error(`${dir}: a JSON 6902 patch needs a target`);
    }
    const hits = objects.filter((o) => matches(o, patch.target!));
    if (hits.length === 0) {
      throw new Error(`${dir}: patch target ${JSON.stringify(patch.target)} matches no object`);
    }
    for (const obj of hits) {
      for (const op of body as JsonOp[]) {
        applyOp(obj, op);
      }
    }
    return objects;
  }
  const smp = body as KubeObject & { $patch?: string };
  const target: Target = {
    ...groupVersion(smp.apiVersion),
    kind: smp.kind,
    name: smp.metadata?.name,
    namespace: smp.metadata?.namespace,
  };
  const hits = objects.filter((o) => matches(o, target));
  if (hits.length !== 1) {
    throw new Error(
      `${dir}: strategic-merge patch for ${smp.kind}/${smp.metadata?.name} matches ${hits.length} objects`
    );
  }
  if (smp.$patch === 'delete') {
    return objects.filter((o) => o !== hits[0]);
  }
  mergeInto(hits[0] as Record<string, unknown>, smp);
  return objects;
}

function setImages(objects: KubeObject[], images: NonNullable<Kustomization['images']>): void {
  for (const obj of objects) {
    const podSpec = (
      obj.kind === 'Pod' ? obj.spec : (obj.spec as { template?: { spec?: unknown } })?.template?.spec
    ) as { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> } | undefined;
    for (const c of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])]) {
      const [name, tag] = (c.image ?? '').split(':');
      const rule = images.find((i) => i.name === name);
      if (rule) {
        c.image = `${rule.newName ?? name}:${rule.newTag ?? tag}`;
      }
    }
  }
}

/** The objects `kubectl apply -k <dir>` would send, as far as the features above go. */
export function renderKustomization(dir: string): KubeObject[] {
  const file = join(dir, 'kustomization.yaml');
  const k = parseYamlFile(file)[0] as Kustomization & Record<string, unknown>;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) {
    throw new Error(`${file}: fields this renderer does not implement: ${unsupported.join(', ')}`);
  }
  let objects: KubeObject[] = [];
  for (const resource of k.resources ?? []) {
    const path = join(dir, resource);
    if (!existsSync(path)) {
      throw new Error(`${file}: resource ${resource} does not exist`);
    }
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : (parseYamlFile(path) as KubeObject[])));
  }
  for (const gen of k.configMapGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const f of gen.files ?? []) {
      data[basename(f)] = readFileSync(join(dir, f), 'utf8');
    }
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: gen.name,
        ...(gen.namespace ? { namespace: gen.namespace } : {}),
        ...(gen.options?.labels ? { labels: gen.options.labels } : {}),
      },
      data,
    });
  }
  setImages(objects, k.images ?? []);
  for (const patch of k.patches ?? []) {
    objects = applyPatch(objects, patch, dir);
  }
  return objects;
}

/** The one object of a kind and name, or an error naming what is missing. */
export function findObject(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}/${name}, found ${found.length}`);
  }
  return found[0]!;
}
