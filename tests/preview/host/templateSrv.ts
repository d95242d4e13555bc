// The template service as Grafana's (public/app/features/templating/template_srv.ts) behaves for app plugins built
// on Scenes: a request carrying its scene object (`scopedVars.__sceneObject`, which SceneQueryRunner sets) is
// interpolated against that object's variables, as sceneGraph.interpolate does; anything else has no dashboard
// variables here and is left as it is.
// The interpolation follows @grafana/scenes variables/interpolation/sceneInterpolator.ts and lookupVariable.ts: the
// nearest `$variables` up the parent chain that has the name, `getValue()`, an "All" with a custom value formatted by
// that value's own formatter, and a data source's format function called with the variable's multi/includeAll.
// Scenes itself is not bundled here: its plugin-compat layer imports @grafana/runtime exports of newer Grafana lines,
// which a host built against 12.4's packages does not have.
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

// Scenes' VARIABLE_REGEX: $var, [[var:fmt]], ${var.field:fmt}
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

interface SceneVariableLike {
  state: { name: string; type?: string; isMulti?: boolean; includeAll?: boolean };
  getValue(fieldPath?: string): unknown;
}

interface SceneObjectLike {
  parent?: SceneObjectLike;
  state: { $variables?: { getByName(name: string): SceneVariableLike | undefined } };
}

type FormatFn = (
  value: unknown,
  variable: { name: string; type?: string; multi?: boolean; includeAll?: boolean }
) => string;

function lookUp(name: string, object: SceneObjectLike | undefined): SceneVariableLike | undefined {
  for (let node = object; node; node = node.parent) {
    const found = node.state.$variables?.getByName(name);
    if (found) {
      return found;
    }
  }
  return undefined;
}

const isCustomValue = (value: unknown): value is { formatter(format?: unknown): string } =>
  typeof value === 'object' && value !== null && 'formatter' in value;

function format(variable: SceneVariableLike, value: unknown, fmt: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (isCustomValue(value)) {
    return value.formatter(fmt);
  }
  if (typeof fmt === 'function') {
    const { name, type, isMulti, includeAll } = variable.state;
    return (fmt as FormatFn)(value, { name, type, multi: isMulti, includeAll });
  }
  // the formats FlowKube's own links use (Explore: regex); the rest as Scenes' default (glob) for plain values
  const values = [value].flat().map(String);
  if (fmt === 'regex') {
    const escaped = values.map((v) => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&'));
    return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
  }
  return values.length === 1 ? values[0] : `{${values.join(',')}}`;
}

export function interpolateScene(object: SceneObjectLike, target: string, fmt?: unknown): string {
  return target.replace(VARIABLE, (match, var1, var2, fmt2, var3, fieldPath, fmt3) => {
    const variable = lookUp(var1 || var2 || var3, object);
    return variable ? format(variable, variable.getValue(fieldPath), fmt2 || fmt3 || fmt) : match;
  });
}

export function createTemplateSrv(): TemplateSrv {
  return {
    getVariables: () => [],
    replace: (target?: string, scopedVars?: ScopedVars, fmt?: unknown) => {
      const sceneObject = (scopedVars?.__sceneObject?.value as { valueOf(): unknown } | undefined)?.valueOf();
      return sceneObject ? interpolateScene(sceneObject as SceneObjectLike, target ?? '', fmt) : (target ?? '');
    },
    containsTemplate: () => false,
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv;
}
