// The e2e run changes a real cluster (applies manifests, creates and deletes Pods), so it refuses to start unless the
// person names the cluster twice: an explicit KUBECONFIG (never the default ~/.kube/config by accident) and
// `--context <name>` equal to that kubeconfig's current-context (so the context they believe they are on is the one
// kubectl will use). Pure: the caller reads the environment, the arguments and the kubeconfig file.
import { parse } from 'yaml';

export type GuardResult =
  { ok: true; kubeconfig: string; context: string; server: string } | { ok: false; reason: string };

/** `--context x` or `--context=x` from argv, or undefined. */
export function contextFlag(argv: readonly string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === '--context') {
      const next = argv[i + 1];
      return next && !next.startsWith('--') ? next : '';
    }
    if (arg.startsWith('--context=')) {
      return arg.slice('--context='.length);
    }
  }
  return undefined;
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Array<{ name: string; context?: { cluster?: string } }>;
  clusters?: Array<{ name: string; cluster?: { server?: string } }>;
}

/**
 * Decides whether the run may touch the cluster.
 * @param env the process environment
 * @param argv the command-line arguments after the script name
 * @param readFile reads the kubeconfig (throws if it cannot)
 */
export function checkGuard(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
  readFile: (path: string) => string
): GuardResult {
  const kubeconfig = env.KUBECONFIG?.trim();
  if (!kubeconfig) {
    return {
      ok: false,
      reason: 'KUBECONFIG is not set: point it at the kubeconfig of a disposable kind/k3s cluster explicitly',
    };
  }
  if (kubeconfig.includes(':')) {
    return { ok: false, reason: 'KUBECONFIG lists several files: give exactly one, so the context is unambiguous' };
  }
  const wanted = contextFlag(argv);
  if (wanted === undefined) {
    return { ok: false, reason: 'missing --context <name>: repeat the kubeconfig current-context to confirm it' };
  }
  if (wanted === '') {
    return { ok: false, reason: '--context needs a value' };
  }
  let config: Kubeconfig;
  try {
    config = (parse(readFile(kubeconfig)) ?? {}) as Kubeconfig;
  } catch (error) {
    return { ok: false, reason: `cannot read KUBECONFIG ${kubeconfig}: ${(error as Error).message}` };
  }
  const current = config['current-context'];
  if (!current) {
    return { ok: false, reason: `${kubeconfig} has no current-context` };
  }
  if (current !== wanted) {
    return {
      ok: false,
      reason: `--context ${wanted} does not match the current-context of ${kubeconfig} (${current}); nothing was changed`,
    };
  }
  const cluster = config.contexts?.find((c) => c.name === current)?.context?.cluster;
  const server = config.clusters?.find((c) => c.name === cluster)?.cluster?.server;
  if (!server) {
    return { ok: false, reason: `context ${current} in ${kubeconfig} names no cluster with a server` };
  }
  return { ok: true, kubeconfig, context: current, server };
}
