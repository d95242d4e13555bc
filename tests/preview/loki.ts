// The preview's Loki: the log store behind the Loki data source of the preview Grafana (lokiQuery.ts answers
// Grafana's /api/ds/query from it). It keeps what Fluent Bit would have pushed (the proxy's audit lines, the worker
// Pods' logs, see logShipper.ts) in memory and evaluates the LogQL subset FlowKube sends
// (src/services/historyQueries.ts, src/services/jobQueries.ts): a stream selector, line filters, `| json` with or
// without extraction expressions, and string label filters. Anything else is refused with a 400, as Loki refuses
// what it cannot parse. Behaviour follows grafana/loki:
// - time range and limit: docs/sources/reference/loki-http-api.md (query_range: `limit` default 100, `direction`
//   default backward). A range log query passes its start and end unchanged to the store (pkg/logql/evaluator.go,
//   DefaultEvaluator: only an instant query moves the start back), which reads [from, through) in nanoseconds: start
//   inclusive, end exclusive (pkg/chunkenc/unordered.go, `interval.HighAtDimension` returns maxt - 1). The engine
//   keeps the first `limit` entries in the query's direction (pkg/logql/engine.go, readStreams), newest first when
//   backward; a stream's entries of the same nanosecond come in write order forward, reversed backward
//   (unorderedHeadBlock.forEntries). pkg/util/validation/limits.go for the defaults of `max_entries_limit_per_query`
//   (5000) and `max_query_length` (721h), pkg/util/validation/errors.go for their messages;
// - `| json`: pkg/logql/log/parser.go (JSONParser: nested keys joined with `_`, arrays skipped, invalid key characters
//   replaced by `_`, a key that is already a label gets `_extracted`, a line that is not JSON gets
//   `__error__="JSONParserErr"`);
// - label filters treat a missing label as the empty string (pkg/logql/log/label_filter.go), label matchers and
//   regex filters are anchored, `|~` line filters are not (pkg/logql/log/filter.go);
// - a selector needs a matcher that does not match the empty string (pkg/logql/syntax/parser.go, errAtleastOneEqualityOrRegexMatcherRequired);
// - identical entries (same stream, time, line and metadata) are stored once (pkg/ingester/stream.go drops a
//   duplicate push; the querier's merge drops duplicates from replicas).
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';

export type Labels = Record<string, string>;

export interface LokiEntry {
  /** Nanoseconds since the epoch. */
  tsNs: bigint;
  line: string;
  /** Structured metadata (Fluent Bit's `Structured_Metadata`). */
  metadata?: Labels;
}

export interface LokiQuery {
  expr: string;
  startNs: bigint;
  endNs: bigint;
  /** 0: Loki's default of 100. */
  limit: number;
  direction: 'backward' | 'forward';
}

/** A stream of Loki's `resultType: "streams"` answer: the full label set (stream, metadata, parsed) and its entries. */
export interface LokiStream {
  labels: Labels;
  entries: Array<{ tsNs: bigint; line: string }>;
}

/** An answer Loki gives with HTTP 400 (what Grafana's Loki backend passes on as the query's error). */
export class LokiError extends Error {
  readonly status = 400;
}

export const MAX_ENTRIES_LIMIT_PER_QUERY = 5000;
export const MAX_QUERY_LENGTH_NS = 721n * 3600n * 1_000_000_000n;
const DEFAULT_LIMIT = 100;

const labelKey = (labels: Labels) =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]])
  );

export class LokiStore {
  private readonly streams = new Map<string, { labels: Labels; entries: LokiEntry[]; seen: Set<string> }>();

  /** Stores an entry in the stream of `labels`; false when the stream already has an identical one. */
  push(labels: Labels, entry: LokiEntry): boolean {
    const key = labelKey(labels);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { labels: { ...labels }, entries: [], seen: new Set() };
      this.streams.set(key, stream);
    }
    const identity = `${entry.tsNs} ${labelKey(entry.metadata ?? {})} ${entry.line}`;
    if (stream.seen.has(identity)) {
      return false;
    }
    stream.seen.add(identity);
    stream.entries.push({ tsNs: entry.tsNs, line: entry.line, metadata: entry.metadata && { ...entry.metadata } });
    return true;
  }

  /** How many entries the streams matching `labels` hold (for tests). */
  count(labels: Labels = {}): number {
    let n = 0;
    for (const stream of this.streams.values()) {
      if (Object.entries(labels).every(([k, v]) => stream.labels[k] === v)) {
        n += stream.entries.length;
      }
    }
    return n;
  }

  /** Loki's query_range for a log query: the newest (backward) or oldest (forward) `limit` entries of the range. */
  queryRange(query: LokiQuery): LokiStream[] {
    const limit = query.limit || DEFAULT_LIMIT;
    if (limit > MAX_ENTRIES_LIMIT_PER_QUERY) {
      throw new LokiError(
        `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${MAX_ENTRIES_LIMIT_PER_QUERY})`
      );
    }
    if (query.endNs - query.startNs > MAX_QUERY_LENGTH_NS) {
      throw new LokiError(
        `the query time range exceeds the limit (query length: ${goDuration(query.endNs - query.startNs)}, limit: 30d1h)`
      );
    }
    const plan = compile(query.expr);
    const found: Array<{ labels: Labels; tsNs: bigint; line: string; order: number }> = [];
    for (const stream of this.streams.values()) {
      if (!plan.selector.every((m) => m.test(stream.labels[m.name] ?? ''))) {
        continue;
      }
      for (const entry of stream.entries) {
        if (entry.tsNs < query.startNs || entry.tsNs >= query.endNs) {
          continue;
        }
        const labels = plan.pipeline(entry.line, { ...stream.labels, ...entry.metadata });
        if (labels) {
          found.push({ labels, tsNs: entry.tsNs, line: entry.line, order: found.length });
        }
      }
    }
    const sign = query.direction === 'forward' ? 1 : -1;
    found.sort((a, b) => (a.tsNs === b.tsNs ? (a.order - b.order) * sign : a.tsNs < b.tsNs ? -sign : sign));
    const byLabels = new Map<string, LokiStream>();
    for (const entry of found.slice(0, limit)) {
      const key = labelKey(entry.labels);
      const stream = byLabels.get(key) ?? { labels: entry.labels, entries: [] };
      stream.entries.push({ tsNs: entry.tsNs, line: entry.line });
      byLabels.set(key, stream);
    }
    return [...byLabels.values()];
  }
}

/** Go's time.Duration String() for whole seconds and up (what Loki prints as the query length). */
function goDuration(ns: bigint): string {
  const s = Number(ns / 1_000_000_000n);
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

interface LabelMatcher {
  name: string;
  test(value: string): boolean;
}

interface Plan {
  selector: LabelMatcher[];
  /** The entry's labels after the pipeline, or undefined when a stage dropped it. */
  pipeline(line: string, labels: Labels): Labels | undefined;
}

type Stage = (line: string, labels: Labels) => boolean;

const SUPPORTED = 'stream selectors, line filters (|= != |~ !~), | json and string label filters';

function unsupported(expr: string, node: SyntaxNode): never {
  throw new LokiError(
    `the preview's Loki stand-in does not evaluate ${node.name} (${expr.slice(node.from, node.to)}); it supports ${SUPPORTED}`
  );
}

/** Parses the query with Loki's own grammar (lezer-logql) and turns the supported subset into a plan. */
export function compile(expr: string): Plan {
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) {
        const before = expr.slice(0, node.from).split('\n');
        const near = expr.slice(node.from, node.to + 1).trim() || '$end';
        throw new LokiError(
          `parse error at line ${before.length}, col ${before[before.length - 1].length + 1}: syntax error: unexpected ${near}`
        );
      }
    },
  });
  const root = tree.topNode.getChild('Expr');
  const logExpr = root?.firstChild;
  if (!root || !logExpr) {
    throw new LokiError('parse error at line 1, col 1: syntax error: unexpected $end');
  }
  if (logExpr.name !== 'LogExpr') {
    unsupported(expr, logExpr);
  }
  const selectorNode = logExpr.getChild('Selector');
  if (!selectorNode) {
    unsupported(expr, logExpr);
  }
  const selector = matchersOf(expr, selectorNode);
  if (selector.every((m) => m.test(''))) {
    throw new LokiError(
      'queries require at least one regexp or equality matcher that does not have an empty-compatible value. For ' +
        'instance, app=~".*" does not meet this requirement, but app=~".+" will'
    );
  }
  const stages = stagesOf(expr, logExpr.getChild('PipelineExpr'));
  return {
    selector,
    pipeline(line, base) {
      const labels = { ...base };
      return stages.every((stage) => stage(line, labels)) ? labels : undefined;
    },
  };
}

function matchersOf(expr: string, selector: SyntaxNode): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  const walk = (node: SyntaxNode | null) => {
    for (let child = node?.firstChild ?? null; child; child = child.nextSibling) {
      if (child.name === 'Matchers') {
        walk(child);
      } else if (child.name === 'Matcher') {
        matchers.push(matcherOf(expr, child));
      }
    }
  };
  walk(selector.getChild('Matchers'));
  return matchers;
}

function matcherOf(expr: string, node: SyntaxNode): LabelMatcher {
  const name = node.getChild('Identifier');
  const value = node.getChild('String');
  const op = name?.nextSibling;
  if (!name || !value || !op) {
    unsupported(expr, node);
  }
  const wanted = stringValue(expr, value);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const anchored = () => new RegExp(`^(?:${wanted})$`, 's');
  switch (op.name) {
    case 'Eq':
      return { name: text(name), test: (v) => v === wanted };
    case 'Neq':
      return { name: text(name), test: (v) => v !== wanted };
    case 'Re': {
      const re = anchored();
      return { name: text(name), test: (v) => re.test(v) };
    }
    case 'Nre': {
      const re = anchored();
      return { name: text(name), test: (v) => !re.test(v) };
    }
    default:
      return unsupported(expr, node);
  }
}

/** A LogQL string: Go's double-quoted string syntax (JSON's, for what FlowKube writes) or a raw `backtick` one. */
function stringValue(expr: string, node: SyntaxNode): string {
  const raw = expr.slice(node.from, node.to);
  if (raw.startsWith('`')) {
    return raw.slice(1, -1);
  }
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw new LokiError(`parse error at col ${node.from + 1}: the preview's Loki stand-in cannot read ${raw}`);
  }
}

function stagesOf(expr: string, pipeline: SyntaxNode | null): Stage[] {
  if (!pipeline) {
    return [];
  }
  const stages: Stage[] = [];
  // PipelineExpr nests to the left: (((stage1) stage2) stage3)
  const inner = pipeline.getChild('PipelineExpr');
  stages.push(...stagesOf(expr, inner));
  const stage = pipeline.getChild('PipelineStage');
  if (!stage) {
    return stages;
  }
  const body = stage.getChild('LineFilters') ?? stage.getChild('Pipe')?.nextSibling;
  if (!body) {
    unsupported(expr, stage);
  }
  switch (body.name) {
    case 'LineFilters':
      stages.push(...lineFilters(expr, body));
      return stages;
    case 'LabelParser':
      if (!body.getChild('Json') || body.firstChild?.nextSibling) {
        unsupported(expr, body);
      }
      stages.push((line, labels) => extractJson(line, labels));
      return stages;
    case 'JsonExpressionParser':
      stages.push(jsonExpressions(expr, body));
      return stages;
    case 'LabelFilter': {
      const matcher = body.firstChild?.name === 'Matcher' && !body.firstChild.nextSibling ? body.firstChild : null;
      if (!matcher) {
        unsupported(expr, body);
      }
      const { name, test } = matcherOf(expr, matcher);
      stages.push((_line, labels) => test(labels[name] ?? ''));
      return stages;
    }
    default:
      return unsupported(expr, body);
  }
}

/** LineFilters nests to the left too: ((f1 f2) f3). */
function lineFilters(expr: string, node: SyntaxNode): Stage[] {
  return [
    ...node.getChildren('LineFilters').flatMap((inner) => lineFilters(expr, inner)),
    ...node.getChildren('LineFilter').map((filter) => lineFilter(expr, filter)),
  ];
}

function lineFilter(expr: string, node: SyntaxNode): Stage {
  const op = node.getChild('Filter')?.firstChild;
  const values = node.getChildren('String');
  if (!op || values.length !== 1 || node.getChild('OrFilter') || node.getChild('FilterOp')) {
    unsupported(expr, node);
  }
  const wanted = stringValue(expr, values[0]);
  switch (op.name) {
    case 'PipeExact':
      return (line) => line.includes(wanted);
    case 'Neq':
      return (line) => !line.includes(wanted);
    case 'PipeMatch': {
      const re = new RegExp(wanted, 's');
      return (line) => re.test(line);
    }
    case 'Nre': {
      const re = new RegExp(wanted, 's');
      return (line) => !re.test(line);
    }
    default:
      return unsupported(expr, node);
  }
}

/** JSON.parse keeping every number as the text the line has (Loki extracts the raw bytes; 19-digit seeds stay). */
function parseKeepingNumbers(line: string): unknown {
  return JSON.parse(line, (_key, value, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? context.source : value
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function sanitize(key: string): string {
  const clean = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

function addParsed(labels: Labels, base: Set<string>, key: string, value: string) {
  labels[base.has(key) ? `${key}_extracted` : key] = value;
}

function extractJson(line: string, labels: Labels): boolean {
  const base = new Set(Object.keys(labels));
  let parsed: unknown;
  try {
    parsed = parseKeepingNumbers(line);
  } catch (err) {
    parsed = undefined;
    labels.__error__ = 'JSONParserErr';
    labels.__error_details__ = (err as Error).message;
  }
  if (parsed !== undefined && !isObject(parsed)) {
    labels.__error__ = 'JSONParserErr';
    return true;
  }
  const walk = (object: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(object)) {
      const name = prefix + sanitize(key);
      if (isObject(value)) {
        walk(value, `${name}_`);
      } else if (typeof value === 'string' || typeof value === 'boolean') {
        addParsed(labels, base, name, String(value));
      }
    }
  };
  if (isObject(parsed)) {
    walk(parsed, '');
  }
  return true;
}

/** `| json name="path"`: only the named values, each by a path of plain keys (`a.b`, `"a"`). */
function jsonExpressions(expr: string, node: SyntaxNode): Stage {
  const list = node.getChild('LabelExtractionExpressionList');
  const wanted = (list?.getChildren('LabelExtractionExpression') ?? []).map((e) => {
    const name = e.getChild('Identifier');
    const path = e.getChild('String');
    if (!name || !path) {
      unsupported(expr, e);
    }
    const keys = stringValue(expr, path).split('.');
    if (keys.some((k) => !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k))) {
      unsupported(expr, e);
    }
    return { name: expr.slice(name.from, name.to), keys };
  });
  return (line, labels) => {
    const base = new Set(Object.keys(labels));
    let parsed: unknown;
    try {
      parsed = parseKeepingNumbers(line);
    } catch {
      labels.__error__ = 'JSONParserErr';
      return true;
    }
    for (const { name, keys } of wanted) {
      let value: unknown = parsed;
      for (const key of keys) {
        value = isObject(value) ? value[key] : undefined;
      }
      const text = typeof value === 'string' || typeof value === 'boolean' ? String(value) : '';
      addParsed(labels, base, name, isObject(value) || Array.isArray(value) ? JSON.stringify(value) : text);
    }
    return true;
  };
}
