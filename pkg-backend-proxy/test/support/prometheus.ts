import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, pollUntil, startProcess } from './processes.ts';

export interface PrometheusServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Instant query; the `data.result` vector. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
  output(): string;
}

export interface ScrapeTarget {
  job: string;
  /** host:port */
  target: string;
  metricsPath?: string;
}

/**
 * A real Prometheus (Debian's `prometheus` binary) on 127.0.0.1 with a throw-away config and TSDB, scraping the
 * given targets every `scrapeIntervalSeconds`. Resolves once it answers /-/ready.
 */
export async function startPrometheus(targets: ScrapeTarget[], scrapeIntervalSeconds = 1): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flowkube-prom-'));
  const scrapeConfigs = targets
    .map(
      (t) =>
        `  - job_name: ${JSON.stringify(t.job)}\n    metrics_path: ${JSON.stringify(t.metricsPath ?? '/metrics')}\n    static_configs:\n      - targets: [${JSON.stringify(t.target)}]`
    )
    .join('\n');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: ${scrapeIntervalSeconds}s\n  evaluation_interval: ${scrapeIntervalSeconds}s\nscrape_configs:\n${scrapeConfigs}\n`
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
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; data: { result: never[] }; error?: string };
      if (body.status !== 'success') {
        throw new Error(`query ${expr} failed: ${body.error}`);
      }
      return body.data.result;
    },
  };
}
