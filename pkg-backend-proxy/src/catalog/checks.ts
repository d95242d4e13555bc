import { posix } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { FieldError, ParamSchema, Resources } from '../schemas/index.ts';
import { LABEL_JOB_TYPE, LABEL_MANAGED_BY } from '../labels.ts';
import { createAjv } from '../validation/ajv.ts';
import { configMapKey, dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from './k8s-names.ts';
import type { Affinity, Toleration } from './pod-fields.ts';
import { isWholeQuantity, parseQuantity } from './quantity.ts';
import type { CatalogTemplate } from './schema.ts';

/** One thing wrong with one template; `field` is relative to the template (`volumes[0].hostPath`). */
export type Problem = FieldError;

/** Set by the proxy for every worker; a template may not redefine them. */
export const RESERVED_ENV = new Set(['JOB_TYPE', 'POD_NAME']);
/** FlowKube's own scratch volume (an emptyDir at /tmp on a read-only root). */
export const TMP_VOLUME = 'tmp';
export const TMP_PATH = '/tmp';
/** What the Pod Security `restricted` profile admits, besides hostPath, which is read only to be refused. */
export const ALLOWED_VOLUME_TYPES = [
  'configMap',
  'secret',
  'emptyDir',
  'persistentVolumeClaim',
  'ephemeral',
  'projected',
  'downwardAPI',
  'csi',
];
/** k8s.io/apimachinery TotalAnnotationSizeLimitB. */
const ANNOTATIONS_LIMIT = 256 * 1024;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const ajv = createAjv({ coerce: false, useDefaults: false });
/** Compiling a schema costs milliseconds; ConfigMaps re-read on every change repeat the same params over and over. */
const compiled = new Map<string, ValidateFunction>();

function compileParam(p: ParamSchema): ValidateFunction {
  const key = JSON.stringify(p);
  let check = compiled.get(key);
  if (!check) {
    if (compiled.size >= 2000) {
      compiled.clear();
    }
    check = ajv.compile(p);
    compiled.set(key, check);
  }
  return check;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** FlowKube's labels and annotations, which a template can never set or override. */
export function isReservedKey(key: string): string | undefined {
  if (key === LABEL_MANAGED_BY || key === LABEL_JOB_TYPE) {
    return `${key} is set by FlowKube itself`;
  }
  const prefix = key.includes('/') ? key.split('/')[0]! : '';
  if (prefix === 'flowkube.io' || prefix.endsWith('.flowkube.io')) {
    return `the flowkube.io/ prefix belongs to FlowKube itself`;
  }
  return undefined;
}

/**
 * What a template may never ask for, read from the raw document before its shape is checked, so that a copied
 * Pod spec is refused by name even when it has other fields the catalog does not know.
 */
export function refusals(raw: unknown): Problem[] {
  if (!isObject(raw)) {
    return [];
  }
  const out: Problem[] = [];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (raw[key] === true) {
      out.push({ field: key, message: 'is refused: a FlowKube job never shares the node’s namespaces' });
    }
  }
  const sc = raw.securityContext;
  if (isObject(sc)) {
    if (sc.privileged === true) {
      out.push({ field: 'securityContext.privileged', message: 'is refused: a FlowKube job never runs privileged' });
    }
    if (sc.runAsUser === 0) {
      out.push({
        field: 'securityContext.runAsUser',
        message: 'is refused: 0 is root, and FlowKube jobs run as non-root',
      });
    }
    if (isObject(sc.capabilities) && Array.isArray(sc.capabilities.add) && sc.capabilities.add.length > 0) {
      out.push({
        field: 'securityContext.capabilities.add',
        message: 'is refused: FlowKube drops all capabilities and adds none',
      });
    }
    const fixed: Array<[string, unknown, string]> = [
      ['allowPrivilegeEscalation', true, 'FlowKube always sets allowPrivilegeEscalation: false'],
      ['runAsNonRoot', false, 'FlowKube always sets runAsNonRoot: true'],
      ['readOnlyRootFilesystem', false, 'FlowKube always mounts the root filesystem read-only (write to /tmp)'],
    ];
    for (const [key, bad, why] of fixed) {
      if (sc[key] === bad) {
        out.push({ field: `securityContext.${key}`, message: `is refused: ${why}` });
      }
    }
    if (isObject(sc.seccompProfile) && sc.seccompProfile.type !== 'RuntimeDefault') {
      out.push({
        field: 'securityContext.seccompProfile.type',
        message: 'is refused: FlowKube always uses the RuntimeDefault seccomp profile',
      });
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      out.push({ field: 'securityContext.procMount', message: 'is refused: only Default is allowed' });
    }
  }
  if (Array.isArray(raw.volumes)) {
    for (const [i, v] of raw.volumes.entries()) {
      if (!isObject(v)) {
        continue;
      }
      for (const type of Object.keys(v)) {
        if (type === 'hostPath') {
          out.push({ field: `volumes[${i}].hostPath`, message: 'is refused: a FlowKube job never mounts a node path' });
        } else if (type !== 'name' && !ALLOWED_VOLUME_TYPES.includes(type)) {
          out.push({
            field: `volumes[${i}].${type}`,
            message: `is not an allowed volume type (Pod Security restricted allows ${ALLOWED_VOLUME_TYPES.join(', ')})`,
          });
        }
      }
    }
  }
  return out;
}

function checkParam(name: string, p: ParamSchema, out: Problem[]): void {
  const where = `params.properties.${name}`;
  if (p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum) {
    out.push({ field: `${where}.minimum`, message: 'must not exceed maximum' });
  }
  if (p.minLength !== undefined && p.maxLength !== undefined && p.minLength > p.maxLength) {
    out.push({ field: `${where}.minLength`, message: 'must not exceed maxLength' });
  }
  if (p.pattern !== undefined) {
    try {
      new RegExp(p.pattern, 'u');
    } catch {
      out.push({ field: `${where}.pattern`, message: 'is not a valid regular expression' });
      return;
    }
  }
  const check = compileParam(p);
  for (const [i, value] of (p.enum ?? []).entries()) {
    if (!check(value)) {
      out.push({
        field: `${where}.enum[${i}]`,
        message: `${check.errors?.[0]?.message ?? 'is invalid'} (it must fit the parameter's own schema)`,
      });
      return;
    }
  }
  if (p.default !== undefined && !check(p.default)) {
    out.push({
      field: `${where}.default`,
      message: `${check.errors?.[0]?.message ?? 'is invalid'} (it must fit the parameter's own schema)`,
    });
  }
}

/** A param that picks among fixed choices (an image tag, a resources preset): a string enum that is never empty. */
function checkChoiceParam(t: CatalogTemplate, at: string, name: string, what: string, out: Problem[]): string[] {
  const p = t.params.properties[name];
  if (!p) {
    out.push({ field: at, message: `refers to "${name}", which is not in params.properties` });
    return [];
  }
  if (p.type !== 'string' || p.enum === undefined) {
    out.push({
      field: `params.properties.${name}`,
      message: `chooses the ${what}, so it must be a string param with an enum (a fixed list, never free text)`,
    });
    return [];
  }
  if (p.default === undefined && !(t.params.required ?? []).includes(name)) {
    out.push({
      field: `params.properties.${name}`,
      message: `chooses the ${what}, so it needs a default or must be listed in params.required`,
    });
  }
  return p.enum.map(String);
}

function checkResources(r: Resources, at: string, out: Problem[]): void {
  for (const kind of ['requests', 'limits'] as const) {
    for (const [name, value] of Object.entries(r[kind])) {
      const field = `${at}.${kind}.${name}`;
      const standard = ['cpu', 'memory', 'ephemeral-storage'].includes(name) || name.startsWith('hugepages-');
      const badName = qualifiedName(name);
      if (badName || (!standard && !name.includes('/'))) {
        out.push({
          field,
          message:
            'is not a resource name: use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed name such as nvidia.com/gpu',
        });
        continue;
      }
      const q = parseQuantity(value);
      if (q === undefined) {
        out.push({ field, message: `"${value}" is not a Kubernetes quantity` });
        continue;
      }
      if (q < 0) {
        out.push({ field, message: 'must be greater than or equal to 0' });
        continue;
      }
      const extended = name.includes('/') && !name.split('/')[0]!.endsWith('kubernetes.io');
      if (extended && !isWholeQuantity(value)) {
        out.push({ field, message: `must be a whole number: ${name} is an extended resource` });
      }
    }
  }
  for (const [name, request] of Object.entries(r.requests)) {
    const limit = r.limits[name];
    const overcommitable = ['cpu', 'memory', 'ephemeral-storage'].includes(name);
    const rq = parseQuantity(request);
    if (limit === undefined) {
      if (!overcommitable && rq !== undefined) {
        out.push({ field: `${at}.limits.${name}`, message: `is required: ${name} cannot be overcommitted` });
      }
      continue;
    }
    const lq = parseQuantity(limit);
    if (rq === undefined || lq === undefined) {
      continue;
    }
    if (!overcommitable && rq !== lq) {
      out.push({
        field: `${at}.requests.${name}`,
        message: `must equal limits.${name}: ${name} cannot be overcommitted`,
      });
    } else if (rq > lq) {
      out.push({ field: `${at}.requests.${name}`, message: `must not exceed ${at}.limits.${name}` });
    }
  }
}

function checkRequirements(
  exprs: Array<{ key: string; operator: string; values?: string[] }> | undefined,
  at: string,
  out: Problem[]
): void {
  for (const [i, e] of (exprs ?? []).entries()) {
    const field = `${at}[${i}]`;
    const badKey = qualifiedName(e.key);
    if (badKey) {
      out.push({ field: `${field}.key`, message: badKey });
    }
    const n = e.values?.length ?? 0;
    if ((e.operator === 'In' || e.operator === 'NotIn') && n === 0) {
      out.push({ field: `${field}.values`, message: `must be non-empty when operator is ${e.operator}` });
    }
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && n > 0) {
      out.push({ field: `${field}.values`, message: `must be empty when operator is ${e.operator}` });
    }
    if ((e.operator === 'Gt' || e.operator === 'Lt') && (n !== 1 || !/^-?\d+$/.test(e.values![0]!))) {
      out.push({ field: `${field}.values`, message: `must be one integer when operator is ${e.operator}` });
    }
  }
}

function checkAffinity(a: Affinity, out: Problem[]): void {
  const node = a.nodeAffinity;
  for (const [i, term] of (node?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).entries()) {
    const at = `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`;
    checkRequirements(term.matchExpressions, `${at}.matchExpressions`, out);
  }
  for (const [i, pref] of (node?.preferredDuringSchedulingIgnoredDuringExecution ?? []).entries()) {
    const at = `affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`;
    checkRequirements(pref.preference.matchExpressions, `${at}.matchExpressions`, out);
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const terms = [
      ...(a[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t, i) => ({
        t,
        at: `affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`,
      })),
      ...(a[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p, i) => ({
        t: p.podAffinityTerm,
        at: `affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm`,
      })),
    ];
    for (const { t, at } of terms) {
      const bad = qualifiedName(t.topologyKey);
      if (bad) {
        out.push({ field: `${at}.topologyKey`, message: bad });
      }
      checkRequirements(t.labelSelector?.matchExpressions, `${at}.labelSelector.matchExpressions`, out);
    }
  }
}

function checkTolerations(list: Toleration[], out: Problem[]): void {
  for (const [i, t] of list.entries()) {
    const at = `tolerations[${i}]`;
    const operator = t.operator ?? 'Equal';
    if (t.key !== undefined && t.key !== '') {
      const bad = qualifiedName(t.key);
      if (bad) {
        out.push({ field: `${at}.key`, message: bad });
      }
    } else if (operator !== 'Exists') {
      out.push({ field: `${at}.operator`, message: 'must be Exists when key is empty' });
    }
    if (operator === 'Exists' && t.value !== undefined && t.value !== '') {
      out.push({ field: `${at}.value`, message: 'must be empty when operator is Exists' });
    }
    if (operator === 'Equal' && t.value !== undefined) {
      const bad = labelValue(t.value);
      if (bad) {
        out.push({ field: `${at}.value`, message: bad });
      }
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      out.push({ field: `${at}.effect`, message: 'must be NoExecute when tolerationSeconds is set' });
    }
  }
}

function checkMetadata(kind: 'labels' | 'annotations', map: Record<string, string> | undefined, out: Problem[]): void {
  let size = 0;
  for (const [key, value] of Object.entries(map ?? {})) {
    const field = `${kind}.${key}`;
    const reserved = isReservedKey(key);
    const badKey = qualifiedName(key);
    if (reserved || badKey) {
      out.push({ field, message: reserved ? `cannot be set: ${reserved}` : `is not a valid key: ${badKey}` });
      continue;
    }
    if (kind === 'labels') {
      const bad = labelValue(value);
      if (bad) {
        out.push({ field, message: `is not a valid label value: ${bad}` });
      }
    }
    size += key.length + value.length;
  }
  if (size > ANNOTATIONS_LIMIT) {
    out.push({ field: kind, message: `must not exceed ${ANNOTATIONS_LIMIT} bytes in all` });
  }
}

function checkName(value: string | undefined, field: string, check: (v: string) => string | undefined, out: Problem[]) {
  if (value === undefined) {
    return;
  }
  const bad = check(value);
  if (bad) {
    out.push({ field, message: bad });
  }
}

/** A mount that would hide or land inside FlowKube's /tmp (the one writable place on a read-only root). */
function collidesWithTmp(mountPath: string): boolean {
  const p = posix.normalize(mountPath).replace(/\/+$/, '') || '/';
  return p === TMP_PATH || p.startsWith(`${TMP_PATH}/`) || p === '/';
}

function checkVolumes(t: CatalogTemplate, out: Problem[]): void {
  const names = new Set<string>();
  for (const [i, v] of (t.volumes ?? []).entries()) {
    const at = `volumes[${i}]`;
    checkName(v.name, `${at}.name`, dns1123Label, out);
    if (v.name === TMP_VOLUME) {
      out.push({
        field: `${at}.name`,
        message: `"${TMP_VOLUME}" is FlowKube's own scratch volume; choose another name`,
      });
    } else if (names.has(v.name)) {
      out.push({ field: `${at}.name`, message: `"${v.name}" is used by another volume` });
    }
    names.add(v.name);
    const types = Object.keys(v).filter((k) => k !== 'name');
    if (types.length !== 1) {
      out.push({ field: at, message: `must set exactly one volume type (${ALLOWED_VOLUME_TYPES.join(', ')})` });
    }
    checkName(v.configMap?.name, `${at}.configMap.name`, dns1123Subdomain, out);
    checkName(v.secret?.secretName, `${at}.secret.secretName`, dns1123Subdomain, out);
    checkName(v.persistentVolumeClaim?.claimName, `${at}.persistentVolumeClaim.claimName`, dns1123Subdomain, out);
    const size = v.emptyDir?.sizeLimit;
    if (size !== undefined && (parseQuantity(size) ?? -1) < 0) {
      out.push({ field: `${at}.emptyDir.sizeLimit`, message: `"${size}" is not a Kubernetes quantity` });
    }
  }
  const paths = new Set<string>();
  for (const [i, m] of (t.volumeMounts ?? []).entries()) {
    const at = `volumeMounts[${i}]`;
    if (!names.has(m.name)) {
      out.push({ field: `${at}.name`, message: `refers to "${m.name}", which is not in volumes` });
    }
    if (!m.mountPath.startsWith('/')) {
      out.push({ field: `${at}.mountPath`, message: 'must be an absolute path' });
    } else if (collidesWithTmp(m.mountPath)) {
      out.push({
        field: `${at}.mountPath`,
        message: `${m.mountPath} collides with ${TMP_PATH}, which FlowKube mounts for the worker's scratch files`,
      });
    } else {
      const normal = posix.normalize(m.mountPath).replace(/\/+$/, '');
      if (paths.has(normal)) {
        out.push({ field: `${at}.mountPath`, message: `${m.mountPath} is used by another mount` });
      }
      paths.add(normal);
    }
    if (m.subPath !== undefined && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      out.push({ field: `${at}.subPath`, message: 'must be a relative path without ..' });
    }
  }
}

function checkEnv(t: CatalogTemplate, declared: Set<string>, used: Set<string>, out: Problem[]): void {
  const envNames = new Set<string>();
  for (const [i, item] of (t.env ?? []).entries()) {
    const at = `env[${i}]`;
    if (RESERVED_ENV.has(item.name)) {
      out.push({ field: `${at}.name`, message: `${item.name} is set by the proxy itself and cannot be redefined` });
    } else if (envNames.has(item.name)) {
      out.push({ field: `${at}.name`, message: `${item.name} is defined twice` });
    }
    envNames.add(item.name);
    if ('fromParam' in item) {
      if (!declared.has(item.fromParam)) {
        out.push({
          field: `${at}.fromParam`,
          message: `refers to "${item.fromParam}", which is not in params.properties`,
        });
      }
      used.add(item.fromParam);
    }
    if ('valueFrom' in item) {
      const ref = 'secretKeyRef' in item.valueFrom ? item.valueFrom.secretKeyRef : item.valueFrom.configMapKeyRef;
      const kind = 'secretKeyRef' in item.valueFrom ? 'secretKeyRef' : 'configMapKeyRef';
      checkName(ref.name, `${at}.valueFrom.${kind}.name`, dns1123Subdomain, out);
      checkName(ref.key, `${at}.valueFrom.${kind}.key`, configMapKey, out);
    }
  }
  for (const [i, src] of (t.envFrom ?? []).entries()) {
    const kind = 'secretRef' in src ? 'secretRef' : 'configMapRef';
    const ref = 'secretRef' in src ? src.secretRef : src.configMapRef;
    checkName(ref.name, `envFrom[${i}].${kind}.name`, dns1123Subdomain, out);
  }
  for (const [i, item] of (t.args ?? []).entries()) {
    if (typeof item !== 'string') {
      if (!declared.has(item.fromParam)) {
        out.push({
          field: `args[${i}].fromParam`,
          message: `refers to "${item.fromParam}", which is not in params.properties`,
        });
      }
      used.add(item.fromParam);
    }
  }
}

/** Checks the shape cannot express: references between fields, names, quantities, collisions. Every problem found. */
export function semanticProblems(t: CatalogTemplate): Problem[] {
  const out: Problem[] = [];
  const declared = new Set(Object.keys(t.params.properties));
  for (const [name, p] of Object.entries(t.params.properties)) {
    checkParam(name, p, out);
  }
  for (const [i, name] of (t.params.required ?? []).entries()) {
    if (!declared.has(name)) {
      out.push({ field: `params.required[${i}]`, message: `names "${name}", which is not in params.properties` });
    }
  }
  const used = new Set<string>();
  checkEnv(t, declared, used, out);
  if (typeof t.image !== 'string') {
    used.add(t.image.tagFromParam);
    for (const tag of checkChoiceParam(t, 'image.tagFromParam', t.image.tagFromParam, 'image tag', out)) {
      if (!IMAGE_TAG.test(tag)) {
        out.push({
          field: `params.properties.${t.image.tagFromParam}.enum`,
          message: `"${tag}" is not a valid image tag`,
        });
      }
    }
  }
  if ('fromParam' in t.resources) {
    used.add(t.resources.fromParam);
    const choices = checkChoiceParam(t, 'resources.fromParam', t.resources.fromParam, 'resources preset', out);
    const presets = Object.keys(t.resources.presets);
    for (const c of choices) {
      if (!presets.includes(c)) {
        out.push({
          field: `params.properties.${t.resources.fromParam}.enum`,
          message: `"${c}" has no preset in resources.presets`,
        });
      }
    }
    for (const [name, block] of Object.entries(t.resources.presets)) {
      if (choices.length > 0 && !choices.includes(name)) {
        out.push({
          field: `resources.presets.${name}`,
          message: `is not one of params.properties.${t.resources.fromParam}.enum`,
        });
      }
      checkResources(block, `resources.presets.${name}`, out);
    }
  } else {
    checkResources(t.resources, 'resources', out);
  }
  for (const name of declared) {
    if (!used.has(name)) {
      out.push({
        field: `params.properties.${name}`,
        message: `is not passed to the container (no env or args item has fromParam: ${name})`,
      });
    }
  }
  if (t.restartPolicy !== undefined && t.restartPolicy !== 'Never') {
    out.push({ field: 'restartPolicy', message: 'must be Never: a job runs once, and its Pod is never restarted' });
  }
  checkVolumes(t, out);
  for (const [i, s] of (t.imagePullSecrets ?? []).entries()) {
    checkName(s.name, `imagePullSecrets[${i}].name`, dns1123Subdomain, out);
  }
  checkName(t.serviceAccountName, 'serviceAccountName', dns1123Subdomain, out);
  checkName(t.priorityClassName, 'priorityClassName', dns1123Subdomain, out);
  checkName(t.runtimeClassName, 'runtimeClassName', dns1123Subdomain, out);
  for (const [key, value] of Object.entries(t.nodeSelector ?? {})) {
    const bad = qualifiedName(key) ?? labelValue(value);
    if (bad) {
      out.push({ field: `nodeSelector.${key}`, message: bad });
    }
  }
  checkTolerations(t.tolerations ?? [], out);
  if (t.affinity) {
    checkAffinity(t.affinity, out);
  }
  checkMetadata('labels', t.labels, out);
  checkMetadata('annotations', t.annotations, out);
  return out;
}
