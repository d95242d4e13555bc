import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

export interface HttpResult {
  status: number;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Keep-alive connections, as a real client (Grafana's data proxy) would hold them; one socket per worker. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** Bounded so that a wedged server fails the run instead of hanging it. */
const REQUEST_TIMEOUT_MS = 30_000;

export function send(agent: Agent, url: string, opts: RequestOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(opts.body));
    }
    const req = httpRequest(url, { agent, method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // decoded as a browser would: an answer the client asked gzipped costs its decompression too
        const raw = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, body: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`no answer from ${url} in ${REQUEST_TIMEOUT_MS} ms`))
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface LoadResult {
  /** Latency of every request that got the expected answer, in ms. */
  latencies: number[];
  elapsedMs: number;
  /** Requests whose answer was not the expected one (they are not in `latencies`). */
  failures: number;
  /** The first few unexpected answers, to say why figures are missing. */
  failureSamples: string[];
}

/**
 * Runs `total` calls of `task` with at most `concurrency` in flight. `task(i)` resolves to an error text when
 * the answer was wrong, or undefined when it was right.
 */
export async function runLoad(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<string | undefined>
): Promise<LoadResult> {
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const start = performance.now();
      let problem: string | undefined;
      try {
        problem = await task(i);
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      if (problem === undefined) {
        latencies.push(performance.now() - start);
      } else {
        failures++;
        if (failureSamples.length < 5) {
          failureSamples.push(problem);
        }
      }
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, worker));
  return { latencies, elapsedMs: performance.now() - start, failures, failureSamples };
}

/** "201 expected, got 429: {...}" with the body cut short. */
export function unexpected(expected: number, res: HttpResult): string | undefined {
  return res.status === expected ? undefined : `${expected} expected, got ${res.status}: ${res.body.slice(0, 200)}`;
}
