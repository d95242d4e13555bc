// A real Prometheus (Debian's `prometheus` binary) on 127.0.0.1 with a throw-away config and TSDB. The proxy's tests
// and the observability checks (tests/observability/) both use it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, pollUntil, startProcess } from './processes.ts';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
}

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Instant query; a scalar result comes back as one unlabelled sample. */
  query(expr: string): Promise<PromSample[]>;
  alerts(): Promise<PromAlert[]>;
  output(): string;
  stop(): Promise<void>;
}

async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const body = (await (await fetch(url, init)).json()) as { status: string; error?: string; data: T };
  if (body.status !== 'success') {
    throw new Error(`${url}: ${body.error}`);
  }
  return body.data;
}

/**
 * `jobs`: scrape job name → host:port targets (path /metrics); `ruleFiles`: absolute paths of rule files to evaluate.
 * Scrapes and evaluates every `intervalSeconds`. Resolves once Prometheus answers /-/ready.
 */
export async function startPrometheus(
  jobs: Record<string, string[]>,
  { ruleFiles = [], intervalSeconds = 1 }: { ruleFiles?: string[]; intervalSeconds?: number } = {}
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'flowkube-prometheus-'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s` },
      rule_files: ruleFiles,
      scrape_configs: Object.entries(jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] })),
    })
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pollUntil(
      'prometheus to be ready',
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      15_000
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${proc.output().slice(-2000)}`);
  }

  return {
    url,
    output: proc.output,
    stop,
    async query(expr) {
      const data = await api<{ resultType: string; result: unknown }>(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      });
      return data.resultType === 'scalar'
        ? [{ metric: {}, value: data.result as [number, string] }]
        : (data.result as PromSample[]);
    },
    async alerts() {
      return (await api<{ alerts: PromAlert[] }>(`${url}/api/v1/alerts`)).alerts;
    },
  };
}
