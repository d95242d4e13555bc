// `npm run e2e:cluster -- --context <name> [--images kind:<cluster>|k3d:<cluster>|preloaded] [--keep]`
// FlowKube end to end on a real (disposable) cluster: applies k8s/overlays/local with fresh tokens, loads the images,
// port-forwards the proxy, launches every catalog template and waits for Succeeded, reads each job's logs, cancels a
// long job, and removes everything it created. Not part of `npm test`; see README.md beside this file.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { checkGuard } from './guard.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OVERLAY = join(root, 'k8s', 'overlays', 'local');
const IMAGES = ['flowkube/worker:0.1.0', 'flowkube/proxy:0.1.0'];
const LOCAL_PORT = 18080;
// Small runs of each template so the whole test takes about a minute.
const QUICK_PARAMS: Record<string, Record<string, unknown>> = {
  basic: { message: 'e2e', sleepSeconds: 1 },
  'cpu-load': { durationSeconds: 2 },
  'log-gen': { tasks: 3, taskIntervalMs: 10 },
};

const guard = checkGuard(process.env, process.argv.slice(2), (p) => readFileSync(p, 'utf8'));
if (!guard.ok) {
  console.error(`e2e:cluster refused: ${guard.reason}`);
  process.exit(2);
}
const { context } = guard;
const args = process.argv.slice(2);
const imagesArg = args.find((a, i) => args[i - 1] === '--images') ?? 'preloaded';
const keep = args.includes('--keep');
const readToken = randomBytes(24).toString('hex');
const launchToken = randomBytes(24).toString('hex');

function kubectl(argv: string[], input?: string): string {
  return execFileSync('kubectl', ['--context', context, ...argv], { encoding: 'utf8', input, stdio: 'pipe' });
}

function step(text: string): void {
  console.log(`\n▶ ${text}`);
}

function loadImages(): void {
  const [tool, cluster] = imagesArg.split(':');
  if (tool === 'preloaded') {
    console.log('  images expected in the node already (nerdctl --namespace k8s.io build, see k8s/overlays/local)');
  } else if (tool === 'kind' && cluster) {
    execFileSync('kind', ['load', 'docker-image', ...IMAGES, '--name', cluster], { stdio: 'inherit' });
  } else if (tool === 'k3d' && cluster) {
    execFileSync('k3d', ['image', 'import', ...IMAGES, '--cluster', cluster], { stdio: 'inherit' });
  } else {
    throw new Error(`--images ${imagesArg}: use kind:<cluster>, k3d:<cluster> or preloaded`);
  }
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const token = method === 'GET' ? readToken : launchToken;
  const res = await fetch(`http://127.0.0.1:${LOCAL_PORT}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function waitForPhase(id: string, phases: string[], seconds: number): Promise<string> {
  return waitFor(`job ${id} to reach ${phases.join('/')}`, seconds, async () => {
    const { json } = await api('GET', `/api/v1/jobs/${id}`);
    const phase: string | undefined = json?.job?.phase;
    if (phase === 'Failed' && !phases.includes('Failed')) {
      throw new Error(`job ${id} failed: ${json.job.reason ?? ''} ${json.job.message ?? ''}`);
    }
    return phase && phases.includes(phase) ? phase : undefined;
  });
}

async function launch(template: string, params: Record<string, unknown>): Promise<string> {
  const res = await api('POST', '/api/v1/jobs', { template, params });
  if (res.status !== 201) {
    throw new Error(`launch ${template}: HTTP ${res.status} ${res.text}`);
  }
  return res.json.job.id as string;
}

let forward: ChildProcess | undefined;
const launched: string[] = [];
// Namespaces that existed before the run (monitoring installed with helm, say) are never deleted by the cleanup.
let preexisting: string[] = [];

async function main(): Promise<void> {
  console.log(`e2e:cluster on context ${context} (${guard.ok ? guard.server : ''})`);
  step('load images');
  loadImages();

  preexisting = ['flowkube-admin', 'flowkube-jobs', 'flowkube-monitoring'].filter(
    (ns) => kubectl(['get', 'namespace', ns, '--ignore-not-found', '-o', 'name']).trim() !== ''
  );
  step('create the token Secret and apply k8s/overlays/local');
  kubectl(['apply', '-f', '-'], kubectl(['create', 'namespace', 'flowkube-admin', '--dry-run=client', '-o', 'yaml']));
  kubectl(
    ['apply', '-f', '-'],
    kubectl([
      '-n',
      'flowkube-admin',
      'create',
      'secret',
      'generic',
      'flowkube-proxy-tokens',
      `--from-literal=read-token=${readToken}`,
      `--from-literal=launch-token=${launchToken}`,
      '--dry-run=client',
      '-o',
      'yaml',
    ])
  );
  console.log(kubectl(['apply', '-k', OVERLAY]).trim());
  // New tokens must reach a running proxy: restart it so it reads the Secret again.
  kubectl(['-n', 'flowkube-admin', 'rollout', 'restart', 'deployment/flowkube-proxy']);
  kubectl(['-n', 'flowkube-admin', 'rollout', 'status', 'deployment/flowkube-proxy', '--timeout=180s']);

  step(`port-forward the proxy to 127.0.0.1:${LOCAL_PORT}`);
  forward = spawn(
    'kubectl',
    ['--context', context, '-n', 'flowkube-admin', 'port-forward', 'svc/flowkube-proxy', `${LOCAL_PORT}:8080`],
    { stdio: 'ignore' }
  );
  await waitFor('the proxy to be ready', 60, async () =>
    (await fetch(`http://127.0.0.1:${LOCAL_PORT}/readyz`)).ok ? true : undefined
  );

  step('launch every template and wait for Succeeded');
  const templates = (await api('GET', '/api/v1/templates')).json.items as Array<{ id: string }>;
  for (const { id: template } of templates) {
    const id = await launch(template, QUICK_PARAMS[template] ?? {});
    launched.push(id);
    await waitForPhase(id, ['Succeeded'], 240);
    const logs = await api('GET', `/api/v1/jobs/${id}/logs`);
    const lines = logs.text.trim().split('\n').filter(Boolean);
    if (lines.length === 0) {
      throw new Error(`job ${id}: no log lines`);
    }
    for (const line of lines) {
      const entry = JSON.parse(line) as { job_type?: string; level?: string };
      if (entry.job_type !== template) {
        throw new Error(`job ${id}: log line without job_type=${template}: ${line}`);
      }
    }
    console.log(`  ${template}: ${id} Succeeded, ${lines.length} JSON log lines`);
  }

  step('cancel a running job');
  const long = await launch('basic', { message: 'to be cancelled', sleepSeconds: 600 });
  launched.push(long);
  await waitForPhase(long, ['Running'], 180);
  const cancel = await api('DELETE', `/api/v1/jobs/${long}`);
  if (cancel.status !== 202) {
    throw new Error(`cancel: HTTP ${cancel.status} ${cancel.text}`);
  }
  await waitFor(`job ${long} to be gone`, 60, async () => {
    const { status, json } = await api('GET', `/api/v1/jobs/${long}`);
    return status === 404 || ['Failed', 'Succeeded'].includes(json?.job?.phase) ? true : undefined;
  });
  console.log(`  ${long} cancelled`);
}

async function cleanup(): Promise<void> {
  step('clean up');
  for (const id of launched) {
    await api('DELETE', `/api/v1/jobs/${id}`).catch(() => undefined);
    // a job cancelled before it ran keeps its Pod by a finalizer, which would hold the namespace's deletion: purge
    // removes it (a job still stopping answers 409 and needs none)
    await api('DELETE', `/api/v1/jobs/${id}?purge=true`).catch(() => undefined);
  }
  forward?.kill();
  if (keep) {
    console.log('  --keep: FlowKube stays installed');
    return;
  }
  try {
    const objects = parseAllDocuments(kubectl(['kustomize', OVERLAY]))
      .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
      .filter((o) => !(o.kind === 'Namespace' && preexisting.includes(o.metadata.name)));
    kubectl(['delete', '-f', '-', '--ignore-not-found', '--wait=true'], objects.map((o) => stringify(o)).join('---\n'));
    kubectl(['-n', 'flowkube-admin', 'delete', 'secret', 'flowkube-proxy-tokens', '--ignore-not-found']);
    if (preexisting.length > 0) {
      console.log(`  kept namespaces that existed before the run: ${preexisting.join(', ')}`);
    }
  } catch (error) {
    console.error(`  cleanup: ${(error as Error).message}`);
  }
}

try {
  await main();
  await cleanup();
  console.log('\ne2e:cluster passed');
} catch (error) {
  console.error(`\ne2e:cluster FAILED: ${(error as Error).message}`);
  await cleanup();
  process.exit(1);
}
