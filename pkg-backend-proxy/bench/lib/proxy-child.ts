import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent, send } from './http.ts';

const PROXY_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface ProxyChildOptions {
  /** URL and bearer token of the Kubernetes API the proxy talks to. */
  kubeUrl: string;
  kubeToken: string;
  namespace: string;
  catalogPath: string;
  readToken: string;
  launchToken: string;
  /** Where the kubeconfig and the proxy's log go. */
  workDir: string;
  /** Tells runs apart in file names. */
  label: string;
  maxActive: number;
  retentionSeconds: number;
  logLevel: string;
  /** The server file to run instead of the default (see pickEntry). */
  entry?: string;
  /** Extra node flags for the proxy, e.g. --cpu-prof to see where its time goes under this load. */
  nodeArgs?: string[];
  /** How long the cache may take to sync (10,000 Pods take a few seconds on 2 cores). */
  readyTimeoutMs?: number;
  /**
   * Opens the inspector on a free loopback port, so that `collectGarbage()` can run a full GC: the memory figures
   * then compare what the two proxies hold, not how much garbage each happened to have left.
   */
  inspect?: boolean;
}

export interface ProxyChild {
  url: string;
  pid: number;
  /** The file the child runs: dist/server.js when the build is current, else src/server.ts. */
  entry: string;
  logFile: string;
  /** Resident set size of the proxy process right now, from /proc (the number the kernel and the OOM killer use). */
  rssBytes(): number;
  /** The anonymous part of it (RssAnon): V8's heap and malloc's, without the pages of node's binary and libraries. */
  rssAnonBytes(): number;
  /** CPU time (user + system) the proxy process has used so far, in ms. */
  cpuMs(): number;
  /** A full, memory-reducing GC in the proxy, through the inspector (only with `inspect`). */
  collectGarbage(): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A benchmark that dies half-way must not leave proxies behind.
process.once('exit', () => {
  for (const child of live) {
    child.kill('SIGKILL');
  }
});

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The built server is what production runs; it is used only when no source file is newer than it. */
export function pickEntry(override?: string): string {
  if (override) {
    return override;
  }
  const built = join(PROXY_DIR, 'dist', 'server.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(PROXY_DIR, 'src'))) {
    return built;
  }
  return join(PROXY_DIR, 'src', 'server.ts');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') {
    throw new Error('could not pick a free port');
  }
  return address.port;
}

export function writeKubeconfig(path: string, kubeUrl: string, token: string): void {
  // JSON is YAML, and client-node reads either. client-node 2.x refuses a plain-http server unless TLS
  // verification is off ("HTTP protocol is not allowed when skipTLSVerify is not set").
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake-kube', cluster: { server: kubeUrl, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'bench', user: { token } }],
    contexts: [{ name: 'fake-kube', context: { cluster: 'fake-kube', user: 'bench' } }],
    'current-context': 'fake-kube',
  };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/** A field of /proc/PID/status in bytes: VmRSS, or its anonymous part RssAnon (heaps, not the mapped binary). */
export function rssOf(pid: number, field: 'VmRSS' | 'RssAnon' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  if (!kb) {
    throw new Error(`no ${field} in /proc/${pid}/status`);
  }
  return Number(kb[1]) * 1024;
}

/** Linux reports process times in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The child's environment: ours without anything that could point it elsewhere or make it a test runner. */
function childEnv(o: ProxyChildOptions, port: number, kubeconfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('FLOWKUBE_') && !k.startsWith('NODE_TEST') && k !== 'KUBECONFIG' && k !== 'NODE_OPTIONS') {
      env[k] = v;
    }
  }
  return {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    KUBECONFIG: kubeconfig,
    FLOWKUBE_NAMESPACE: o.namespace,
    FLOWKUBE_CATALOG: o.catalogPath,
    FLOWKUBE_READ_TOKEN: o.readToken,
    FLOWKUBE_LAUNCH_TOKEN: o.launchToken,
    FLOWKUBE_MAX_ACTIVE: String(o.maxActive),
    FLOWKUBE_RETENTION_SECONDS: String(o.retentionSeconds),
    LOG_LEVEL: o.logLevel,
  };
}

/**
 * The node flags of `npm start` (package.json), which the Dockerfile's CMD repeats: the built server is measured
 * with the flags it runs with in production.
 */
export function startScriptNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(PROXY_DIR, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const m = /^node\s+(.*?)\s*dist\/server\.js$/.exec(pkg.scripts?.start ?? '');
  return m?.[1] ? m[1].split(/\s+/) : [];
}

/** Starts the proxy as its own process (so its memory is its own) and waits until /readyz says the cache synced. */
export async function startProxyChild(o: ProxyChildOptions): Promise<ProxyChild> {
  const port = await freePort();
  const kubeconfig = join(o.workDir, `kubeconfig-${o.label}.json`);
  writeKubeconfig(kubeconfig, o.kubeUrl, o.kubeToken);
  const logFile = join(o.workDir, `proxy-${o.label}.log`);
  const logFd = openSync(logFile, 'w');
  const entry = pickEntry(o.entry);
  const production = entry.endsWith(join('dist', 'server.js')) ? startScriptNodeArgs() : [];
  const inspect = o.inspect ? ['--inspect=127.0.0.1:0'] : [];
  const child = spawn(process.execPath, [...production, ...inspect, ...(o.nodeArgs ?? []), entry], {
    env: childEnv(o, port, kubeconfig),
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    child.kill('SIGTERM');
    const graceful = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!graceful) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const agent = keepAliveAgent(1);
  const deadline = Date.now() + (o.readyTimeoutMs ?? 90_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`proxy (${entry}) exited with ${child.exitCode ?? child.signalCode}:\n${logTail(logFile)}`);
      }
      const res = await send(agent, `${url}/readyz`).catch(() => undefined);
      if (res?.status === 200) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`proxy not ready after ${o.readyTimeoutMs ?? 90_000} ms:\n${logTail(logFile)}`);
      }
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    agent.destroy();
  }
  return {
    url,
    pid: child.pid!,
    entry,
    logFile,
    rssBytes: () => rssOf(child.pid!),
    rssAnonBytes: () => rssOf(child.pid!, 'RssAnon'),
    cpuMs: () => cpuMsOf(child.pid!),
    collectGarbage: () => inspectorCall(logFile, 'HeapProfiler.collectGarbage'),
    stop,
  };
}

/**
 * One call of the Chrome DevTools protocol to the child's inspector, whose address node printed to its stderr (the
 * log file). HeapProfiler.collectGarbage is V8's full collection, the same one a heap snapshot starts with.
 */
async function inspectorCall(logFile: string, method: string, timeoutMs = 30_000): Promise<void> {
  const url = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
  if (!url) {
    throw new Error(`no inspector address in ${logFile}: start the child with inspect: true`);
  }
  const ws = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer within ${timeoutMs} ms`)), timeoutMs);
      ws.addEventListener('error', () => reject(new Error(`${method}: cannot reach the inspector at ${url}`)));
      ws.addEventListener('message', (m) => {
        const answer = JSON.parse(String(m.data)) as { id?: number; error?: { message: string } };
        if (answer.id === 1) {
          clearTimeout(timer);
          if (answer.error) {
            reject(new Error(`${method}: ${answer.error.message}`));
          } else {
            resolve();
          }
        }
      });
      ws.addEventListener('open', () => ws.send(JSON.stringify({ id: 1, method })));
    });
  } finally {
    ws.close();
  }
}
