// Reading docker-compose.yaml the way Compose does, without a Docker engine: Debian's docker-compose 1.29 resolves
// `extends`, variables and relative paths (`config`), and these pure helpers take the result apart for the checks.
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  environment?: Record<string, string | number | null>;
  volumes?: Array<string | { type: string; source?: string; target: string }>;
  ports?: Array<string | { target: number; published?: number }>;
  expose?: Array<string | number>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
  restart?: string;
  command?: string[] | string;
  entrypoint?: string[] | string;
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** `docker-compose config` output (variables at their defaults), parsed. Throws with compose's own message. */
export function resolvedCompose(cwd: string, file = 'docker-compose.yaml'): ComposeConfig {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  const out = execFileSync('docker-compose', ['-f', file, 'config'], { cwd, env, encoding: 'utf8', stdio: 'pipe' });
  return parse(out) as ComposeConfig;
}

export interface Mount {
  source: string;
  target: string;
  bind: boolean;
}

/** Volumes of a service as source/target pairs; `bind` is true for host paths (absolute after `config`). */
export function mounts(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = ''] = v.split(':');
      return { source, target, bind: source.startsWith('/') || source.startsWith('.') };
    }
    return { source: v.source ?? '', target: v.target, bind: v.type === 'bind' };
  });
}

/** The ports a service listens on inside the compose network (container side of `ports`, plus `expose`). */
export function containerPorts(service: ComposeService): number[] {
  const ports = (service.ports ?? []).map((p) =>
    typeof p === 'string' ? Number(p.split(':').pop()!.split('/')[0]) : p.target
  );
  return [...ports, ...(service.expose ?? []).map(Number)];
}

/**
 * `http://host:port/...` references to single-label hosts (compose service names) in a text, as host/port pairs
 * (port defaulting by scheme). IP addresses and dotted domains are not service names and are skipped.
 */
export function hostPortRefs(text: string): Array<{ host: string; port: number; ref: string }> {
  const refs: Array<{ host: string; port: number; ref: string }> = [];
  for (const m of text.matchAll(/\b(https?):\/\/([a-z][a-z0-9-]*)(?::(\d+))?(?![a-z0-9.-])/g)) {
    refs.push({ host: m[2]!, port: m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80, ref: m[0] });
  }
  return refs;
}

/** `${VAR}` and `$VAR` references in a text (Grafana provisioning's env interpolation). */
export function envRefs(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)].map((m) => m[1]!);
}

/** Services in dependency order, or an error naming a cycle or a missing dependency. */
export function startOrder(config: ComposeConfig): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const service = config.services[name];
    if (!service) {
      throw new Error(`${path.join(' → ')} depends on unknown service ${name}`);
    }
    if (state.get(name) === 'done') {
      return;
    }
    if (state.get(name) === 'visiting') {
      throw new Error(`dependency cycle: ${[...path, name].join(' → ')}`);
    }
    state.set(name, 'visiting');
    const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    for (const dep of deps) {
      visit(dep, [...path, name]);
    }
    state.set(name, 'done');
    order.push(name);
  };
  Object.keys(config.services).forEach((name) => visit(name, []));
  return order;
}
