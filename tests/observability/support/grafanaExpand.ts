// What Grafana stores from a provisioning file: every string value goes through environment expansion first.
// Reproduced from grafana/grafana, not guessed:
// - pkg/services/provisioning/values/values.go, interpolateValue: split the value on "$$" (the only escape), run
//   setting.ExpandVar and then Go's os.ExpandEnv on each part, join the parts with "$". transformInterface applies it
//   to every string in nested maps and lists (a data source's jsonData, an app's jsonData and secureJsonData, a
//   dashboard provider's options); numbers and booleans are left alone.
// - pkg/setting/expanders.go, ExpandVar: the regexp `\$(|__\w+){([^}]+)}`; expanders in priority order, env (-10:
//   `${X}` and `$__env{X}`, with HOSTNAME falling back to the host name) then file (-5: `$__file{path}`, trimmed).
// - golang/go src/os/env.go, Expand/getShellName as in the Go releases Grafana 12 and 13 are built with: `$NAME` and
//   `${NAME}` are replaced (unset = empty), `${}` and an unterminated `${` are eaten, a `$` not followed by a name
//   stays, and `$` followed by one of `*#$@!?-0…9` is a one-character special name.
// - pkg/services/provisioning/alerting/rules_types.go: in alert rule files the annotations and each query's model are
//   stored raw (mapped from `.Raw`), every other string is expanded.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export type Env = Record<string, string | undefined>;

function isShellSpecial(c: string): boolean {
  return '*#$@!?-0123456789'.includes(c);
}

function isAlphaNum(c: string): boolean {
  return /^[A-Za-z0-9_]$/.test(c);
}

/** getShellName: the name at the start of `s` (what follows a `$`) and how many characters it takes. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecial(s[1]!) && s[2] === '}') {
      return [s[1]!, 3];
    }
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') {
        return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
      }
    }
    return ['', 1];
  }
  if (isShellSpecial(s[0]!)) {
    return [s[0]!, 1];
  }
  let i = 0;
  while (i < s.length && isAlphaNum(s[i]!)) {
    i++;
  }
  return [s.slice(0, i), i];
}

/** Go's os.Expand(s, mapping). */
export function goExpand(s: string, mapping: (name: string) => string): string {
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      out += s.slice(i, j);
      const [name, width] = shellName(s.slice(j + 1));
      if (name === '' && width > 0) {
        // invalid syntax: the characters are dropped
      } else if (name === '') {
        out += '$';
      } else {
        out += mapping(name);
      }
      j += width;
      i = j + 1;
    }
  }
  return out + s.slice(i);
}

const EXPANDER = /\$(|__\w+)\{([^}]+)\}/g;

/** Grafana's setting.ExpandVar with its two built-in expanders, env then file. */
export function expandSettingVars(s: string, env: Env): string {
  const expanders: Array<{ name: string; expand: (arg: string) => string }> = [
    { name: 'env', expand: (arg) => env[arg] || (arg === 'HOSTNAME' ? hostname() : '') },
    { name: 'file', expand: (arg) => readFileSync(arg, 'utf8').trim() },
  ];
  for (const expander of expanders) {
    for (const [whole, prefix, arg] of [...s.matchAll(EXPANDER)]) {
      if (prefix === `__${expander.name}` || (prefix === '' && expander.name === 'env')) {
        const value = expander.expand(arg!);
        s = s.replace(whole, () => value);
      }
    }
  }
  return s;
}

/** values.go interpolateValue: the string Grafana stores for one provisioned string value. */
export function interpolate(value: string, env: Env): string {
  return value
    .split('$$')
    .map((part) => goExpand(expandSettingVars(part, env), (name) => env[name] ?? ''))
    .join('$');
}

/** values.go transformInterface: every string inside `value` interpolated, everything else kept. */
export function expandAll<T>(value: T, env: Env): T {
  if (typeof value === 'string') {
    return interpolate(value, env) as T;
  }
  if (Array.isArray(value)) {
    return value.map((v: unknown) => expandAll(v, env)) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandAll(v, env)])) as T;
  }
  return value;
}

interface AlertRule {
  annotations?: unknown;
  data?: Array<{ model?: unknown }>;
  [key: string]: unknown;
}

/** An alerting provisioning file as Grafana stores it: annotations and query models raw, the rest expanded. */
export function expandAlertingFile<T extends { groups?: Array<{ rules?: AlertRule[] }> }>(file: T, env: Env): T {
  const expanded = expandAll(file, env);
  expanded.groups?.forEach((group, g) =>
    group.rules?.forEach((rule, r) => {
      const raw = file.groups![g]!.rules![r]!;
      rule.annotations = structuredClone(raw.annotations);
      rule.data?.forEach((query, q) => {
        query.model = structuredClone(raw.data![q]!.model);
      });
    })
  );
  return expanded;
}

/** The environment variable names a value refers to, in the parts Grafana expands. */
export function referencedVariables(value: unknown): string[] {
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const part of v.split('$$')) {
        for (const [, prefix, arg] of part.matchAll(EXPANDER)) {
          if (prefix === '' || prefix === '__env') {
            names.push(arg!);
          }
        }
        goExpand(part, (name) => {
          names.push(name);
          return '';
        });
      }
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return [...new Set(names)];
}
