// Label and field selectors with the API server's grammar and semantics (pure; tested in fake-kube.test.ts).
import { labelKeyError, labelValueError } from './validate.ts';

export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '<' | '>'; value: number };

export class SelectorError extends Error {}

const SPECIAL = new Set([',', '(', ')', '=', '!', '<', '>']);

type Token = { kind: 'word'; text: string } | { kind: 'op'; text: string } | { kind: 'end' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (input.startsWith('==', i) || input.startsWith('!=', i)) {
      tokens.push({ kind: 'op', text: input.slice(i, i + 2) });
      i += 2;
    } else if (SPECIAL.has(ch)) {
      tokens.push({ kind: 'op', text: ch });
      i++;
    } else {
      let j = i;
      while (j < input.length && !SPECIAL.has(input[j] ?? '') && !/\s/.test(input[j] ?? '')) {
        j++;
      }
      tokens.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

const describe = (t: Token): string => (t.kind === 'end' ? '' : t.text);

/** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k,l>3`; comma means AND. Throws SelectorError on bad input. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'end' };
  const next = (): Token => tokens[pos++] ?? { kind: 'end' };
  const fail = (found: Token, expected: string): never => {
    throw new SelectorError(`unable to parse requirement: found '${describe(found)}', expected: ${expected}`);
  };
  const checkKey = (key: string): string => {
    const problem = labelKeyError(key);
    if (problem) {
      throw new SelectorError(`unable to parse requirement: key: Invalid value: "${key}": ${problem}`);
    }
    return key;
  };
  const checkValue = (value: string): string => {
    const problem = labelValueError(value);
    if (problem) {
      throw new SelectorError(`unable to parse requirement: values[0]: Invalid value: "${value}": ${problem}`);
    }
    return value;
  };
  const atBoundary = (): boolean => {
    const t = peek();
    return t.kind === 'end' || (t.kind === 'op' && t.text === ',');
  };

  const requirement = (): LabelRequirement => {
    const first = next();
    if (first.kind === 'op' && first.text === '!') {
      const key = next();
      return key.kind === 'word' ? { key: checkKey(key.text), op: '!exists' } : fail(key, 'identifier');
    }
    if (first.kind !== 'word') {
      return fail(first, '!, identifier');
    }
    const key = checkKey(first.text);
    if (atBoundary()) {
      return { key, op: 'exists' };
    }
    const op = next();
    if (op.kind === 'word' && (op.text === 'in' || op.text === 'notin')) {
      const open = next();
      if (open.kind !== 'op' || open.text !== '(') {
        fail(open, '(');
      }
      const values: string[] = [];
      let expectValue = true;
      for (;;) {
        const t = next();
        if (t.kind === 'word' && expectValue) {
          values.push(checkValue(t.text));
          expectValue = false;
        } else if (t.kind === 'op' && t.text === ',') {
          if (expectValue) {
            values.push('');
          }
          expectValue = true;
        } else if (t.kind === 'op' && t.text === ')') {
          if (expectValue && values.length > 0) {
            values.push('');
          }
          break;
        } else {
          fail(t, expectValue ? 'identifier' : ', or )');
        }
      }
      if (values.length === 0) {
        throw new SelectorError(
          `unable to parse requirement: values: Required value: for 'in', 'notin' operators, values set can't be empty`
        );
      }
      return { key, op: op.text, values };
    }
    if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
      let value = '';
      if (!atBoundary()) {
        const t = next();
        value = t.kind === 'word' ? t.text : fail(t, 'identifier');
      }
      return { key, op: op.text === '!=' ? '!=' : '=', value: checkValue(value) };
    }
    if (op.kind === 'op' && (op.text === '<' || op.text === '>')) {
      const value = next();
      if (value.kind !== 'word' || !/^-?\d+$/.test(value.text)) {
        throw new SelectorError(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer, found '${describe(value)}'`
        );
      }
      return { key, op: op.text, value: Number(value.text) };
    }
    return fail(op, '=, !=, ==, in, notin, <, >');
  };

  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') {
    return requirements;
  }
  for (;;) {
    requirements.push(requirement());
    const sep = next();
    if (sep.kind === 'end') {
      return requirements;
    }
    if (sep.kind !== 'op' || sep.text !== ',') {
      fail(sep, ',');
    }
  }
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const has = (key: string) => labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key);
  return requirements.every((r) => {
    const value = labels?.[r.key];
    switch (r.op) {
      case '=':
        return has(r.key) && value === r.value;
      case '!=':
        return !has(r.key) || value !== r.value;
      case 'in':
        return has(r.key) && r.values.includes(value ?? '');
      case 'notin':
        return !has(r.key) || !r.values.includes(value ?? '');
      case 'exists':
        return has(r.key);
      case '!exists':
        return !has(r.key);
      case '<':
      case '>': {
        if (!has(r.key) || !/^-?\d+$/.test(value ?? '')) {
          return false;
        }
        const n = Number(value);
        return r.op === '<' ? n < r.value : n > r.value;
      }
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** The field labels one resource supports, and how to read each from an object. */
export type FieldTable<T> = Record<string, (object: T) => string>;

/** What every resource supports (generic.ObjectMetaFieldsSet in staging/src/k8s.io/apiserver/pkg/registry/generic). */
export const META_FIELDS: FieldTable<PodLike> = {
  'metadata.name': (o) => o.metadata?.name ?? '',
  'metadata.namespace': (o) => o.metadata?.namespace ?? '',
};

/** The field labels the API server indexes for Pods (pkg/registry/core/pod/strategy.go ToSelectableFields). */
export const POD_FIELDS: FieldTable<PodLike> = {
  'metadata.name': (p) => p.metadata?.name ?? '',
  'metadata.namespace': (p) => p.metadata?.namespace ?? '',
  'spec.nodeName': (p) => p.spec?.nodeName ?? '',
  'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
  'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
  'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
  'status.phase': (p) => p.status?.phase ?? '',
  'status.podIP': (p) => p.status?.podIP ?? '',
};

export interface PodLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string; restartPolicy?: string; schedulerName?: string; serviceAccountName?: string };
  status?: { phase?: string; podIP?: string };
}

/** Any field label not in `fields` is a 400 (`field label not supported`), as the API server answers. */
export function parseFieldSelector<T>(input: string, fields: FieldTable<T>): FieldRequirement[] {
  if (input.trim() === '') {
    return [];
  }
  return input.split(',').map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) {
      throw new SelectorError(`invalid selector: '${input}'; can't understand '${part}'`);
    }
    const [, field = '', op, value = ''] = m;
    if (!fields[field]) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return { field, op: op === '!=' ? '!=' : '=', value };
  });
}

export function matchesFields<T>(requirements: FieldRequirement[], object: T, fields: FieldTable<T>): boolean {
  return requirements.every((r) => {
    const actual = fields[r.field]?.(object) ?? '';
    return r.op === '=' ? actual === r.value : actual !== r.value;
  });
}
