import type { BenchResults } from './benchmark.ts';
import { scheduleRows } from './schedules.ts';
import { templateRows } from './templates.ts';
import { scaleRows } from './scale.ts';

export interface Target {
  op: '>=' | '<=' | '=';
  value: number;
}

export interface Figure {
  name: string;
  measured: number;
  unit: string;
  target?: Target;
  /** 'pass' or 'MISSED' against the target; 'info' for comparison figures without one. */
  verdict: 'pass' | 'MISSED' | 'info';
}

/** A figure before its verdict: what each section contributes to the table. */
export type Row = Omit<Figure, 'verdict'>;

const MB = 1024 * 1024;

export function verdict(measured: number, target?: Target): Figure['verdict'] {
  if (!target) {
    return 'info';
  }
  // A figure that could not be measured (NaN) never passes.
  if (!Number.isFinite(measured)) {
    return 'MISSED';
  }
  const ok =
    target.op === '>='
      ? measured >= target.value
      : target.op === '<='
        ? measured <= target.value
        : measured === target.value;
  return ok ? 'pass' : 'MISSED';
}

/** The issue's targets next to what was measured, plus the baselines they are judged against. */
export function figures(r: BenchResults): Figure[] {
  const { launch, list, memory } = r;
  const pods = list.podsCached.toLocaleString('en-US');
  const rows: Row[] = [
    { name: 'launch throughput, direct to API', measured: launch.direct.throughputPerSecond, unit: 'req/s' },
    { name: 'launch throughput, via proxy', measured: launch.proxy.throughputPerSecond, unit: 'req/s' },
    {
      name: 'launch throughput ratio proxy/direct',
      measured: launch.ratio,
      unit: '',
      target: { op: '>=', value: 0.7 },
    },
    { name: 'launch p50, direct', measured: launch.direct.latencyMs.p50, unit: 'ms' },
    { name: 'launch p50, via proxy', measured: launch.proxy.latencyMs.p50, unit: 'ms' },
    { name: 'launch p99, direct', measured: launch.direct.latencyMs.p99, unit: 'ms' },
    { name: 'launch p99, via proxy', measured: launch.proxy.latencyMs.p99, unit: 'ms' },
    {
      name: 'launch p99 overhead (proxy − direct)',
      measured: launch.p99OverheadMs,
      unit: 'ms',
      target: { op: '<=', value: 5 },
    },
    { name: 'launch p50 overhead, one at a time', measured: launch.serial.p50OverheadMs, unit: 'ms' },
    { name: 'launch p99 overhead, one at a time', measured: launch.serial.p99OverheadMs, unit: 'ms' },
    { name: 'CPU per launch, direct: load gen + API', measured: launch.direct.benchCpuMsPerRequest, unit: 'ms' },
    { name: 'CPU per launch, proxy: load gen + API', measured: launch.proxy.benchCpuMsPerRequest, unit: 'ms' },
    { name: 'CPU per launch, proxy process', measured: launch.proxy.proxyCpuMsPerRequest, unit: 'ms' },
    {
      name: `list p50, ${pods} Pods cached`,
      measured: list.cached.latencyMs.p50,
      unit: 'ms',
      target: { op: '<=', value: 15 },
    },
    { name: `list p99, ${pods} Pods cached`, measured: list.cached.latencyMs.p99, unit: 'ms' },
    {
      name: 'kube API calls per 1,000 lists, cached',
      measured: list.cached.kubeCallsPer1000,
      unit: '',
      target: { op: '=', value: 0 },
    },
    { name: 'list p50, naive list-per-request', measured: list.naive.latencyMs.p50, unit: 'ms' },
    { name: 'kube API calls per 1,000 lists, naive', measured: list.naive.kubeCallsPer1000, unit: '' },
    {
      name: `proxy RSS, ${pods} Pods cached`,
      measured: memory.cachedBytes / MB,
      unit: 'MB',
      target: { op: '<=', value: 200 },
    },
    { name: 'proxy RSS, 0 Pods', measured: memory.emptyAfterListBytes / MB, unit: 'MB' },
    { name: 'proxy RSS delta (the cache)', measured: memory.deltaBytes / MB, unit: 'MB' },
    { name: 'proxy V8 heap used, 0 Pods', measured: memory.emptyHeapUsedBytes / MB, unit: 'MB' },
    { name: `proxy V8 heap used, ${pods} Pods cached`, measured: memory.fullHeapUsedBytes / MB, unit: 'MB' },
    ...scheduleRows(r.schedules),
    ...templateRows(r.templates),
    ...scaleRows(r.scale),
  ];
  return withVerdicts(rows);
}

export function withVerdicts(rows: Row[]): Figure[] {
  return rows.map((f) => ({ ...f, verdict: verdict(f.measured, f.target) }));
}

function show(value: number, unit: string): string {
  if (!Number.isFinite(value)) {
    return 'n/a';
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function table(rows: Figure[]): string {
  const cells = rows.map((f) => [
    f.name,
    show(f.measured, f.unit),
    f.target ? `${f.target.op} ${f.target.value}${f.unit ? ` ${f.unit}` : ''}` : '',
    f.verdict === 'info' ? '' : f.verdict,
  ]);
  const header = ['figure', 'measured', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c.map((v, i) => (i === 1 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
