// A real Prometheus on 127.0.0.1 that also evaluates rule files and answers /api/v1/alerts. The process handling is
// the proxy tests' (pkg-backend-proxy/test/support/processes.ts); their startPrometheus takes no rule files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, pollUntil, startProcess } from '../../../pkg-backend-proxy/test/support/processes.ts';

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
  url: string;
  query(expr: string): Promise<PromSample[]>;
  alerts(): Promise<PromAlert[]>;
  stop(): Promise<void>;
}

async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const body = (await (await fetch(url, init)).json()) as { status: string; error?: string; data: T };
  if (body.status !== 'success') {
    throw new Error(`${url}: ${body.error}`);
  }
  return body.data;
}

/** `jobs`: scrape job name → host:port targets, scraped every second; `ruleFiles`: absolute paths, evaluated every second. */
export async function startPrometheus(
  jobs: Record<string, string[]>,
  ruleFiles: string[] = []
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'flowkube-prometheus-'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
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
    stop,
    async query(expr) {
      const data = await api<{ resultType: string; result: unknown }>(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      });
      // A scalar result (e.g. `vector(0)` folded away) is one unlabelled sample.
      return data.resultType === 'scalar'
        ? [{ metric: {}, value: data.result as [number, string] }]
        : (data.result as PromSample[]);
    },
    async alerts() {
      return (await api<{ alerts: PromAlert[] }>(`${url}/api/v1/alerts`)).alerts;
    },
  };
}
