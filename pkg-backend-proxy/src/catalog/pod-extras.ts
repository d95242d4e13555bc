// The parts of a worker Pod that come from a template's optional Kubernetes fields, kept apart from render-pod.ts so
// that FlowKube's own settings there stay the last word: these functions only ever add, never replace.
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { ParamValues, Resources } from '../schemas/index.ts';
import type { CatalogTemplate } from './schema.ts';

function choice(template: CatalogTemplate, param: string, params: ParamValues): string {
  const value = params[param] ?? template.params.properties[param]?.default;
  return String(value);
}

/** The image to run: fixed, or the repository with the tag an enum param chose (the load checked every choice). */
export function imageFor(template: CatalogTemplate, params: ParamValues): string {
  const image = template.image;
  return typeof image === 'string' ? image : `${image.repository}:${choice(template, image.tagFromParam, params)}`;
}

/** The preset a launch gets when it chooses none: the param's default, else its first enum value. */
export function defaultPreset(template: CatalogTemplate): string | undefined {
  if (!('fromParam' in template.resources)) {
    return undefined;
  }
  const p = template.params.properties[template.resources.fromParam];
  return String(p?.default ?? p?.enum?.[0]);
}

export function resourcesFor(template: CatalogTemplate, params: ParamValues): Resources {
  const r = template.resources;
  if (!('fromParam' in r)) {
    return r;
  }
  const name = params[r.fromParam] !== undefined ? String(params[r.fromParam]) : defaultPreset(template)!;
  return r.presets[name]!;
}

/** Container fields from the template; FlowKube's securityContext is applied on top by renderPod. */
export function containerExtras(template: CatalogTemplate): Partial<V1Container> {
  const out: Partial<V1Container> = {};
  if (template.imagePullPolicy !== undefined) {
    out.imagePullPolicy = template.imagePullPolicy;
  }
  if (template.workingDir !== undefined) {
    out.workingDir = template.workingDir;
  }
  if (template.envFrom !== undefined) {
    out.envFrom = template.envFrom.map((e) => ({ ...e }));
  }
  return out;
}

/** runAsUser and runAsGroup are the only securityContext fields a template passes on (non-root, checked at load). */
export function securityExtras(template: CatalogTemplate): { runAsUser?: number; runAsGroup?: number } {
  const sc = template.securityContext ?? {};
  return {
    ...(sc.runAsUser !== undefined ? { runAsUser: sc.runAsUser } : {}),
    ...(sc.runAsGroup !== undefined ? { runAsGroup: sc.runAsGroup } : {}),
  };
}

/** Pod spec fields from the template: pull secrets, identity and placement. */
export function specExtras(template: CatalogTemplate): Partial<V1PodSpec> {
  const out: Partial<V1PodSpec> = {};
  if (template.imagePullSecrets !== undefined) {
    out.imagePullSecrets = template.imagePullSecrets.map((s) => ({ name: s.name }));
  }
  if (template.serviceAccountName !== undefined) {
    out.serviceAccountName = template.serviceAccountName;
  }
  if (template.nodeSelector !== undefined) {
    out.nodeSelector = { ...template.nodeSelector };
  }
  if (template.tolerations !== undefined) {
    out.tolerations = template.tolerations.map((t) => ({ ...t }));
  }
  if (template.affinity !== undefined) {
    out.affinity = structuredClone(template.affinity);
  }
  if (template.priorityClassName !== undefined) {
    out.priorityClassName = template.priorityClassName;
  }
  if (template.runtimeClassName !== undefined) {
    out.runtimeClassName = template.runtimeClassName;
  }
  return out;
}
