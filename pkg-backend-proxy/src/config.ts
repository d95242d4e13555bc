import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Type, { type Static } from 'typebox';
import { DEFAULT_NAMESPACE } from './contract/namespace.ts';
import { createAjv } from './validation/ajv.ts';

/** The catalog that ships with the proxy; `../catalog` from both src/ and dist/. */
export const DEFAULT_CATALOG = fileURLToPath(new URL('../catalog/default.yaml', import.meta.url));

const Token = Type.String({ minLength: 16, maxLength: 4096, pattern: '^[\\x21-\\x7e]+$' });

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  KUBECONFIG: Type.Optional(Type.String({ minLength: 1 })),
  FLOWKUBE_NAMESPACE: Type.String({
    pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    maxLength: 63,
    default: DEFAULT_NAMESPACE,
  }),
  FLOWKUBE_CATALOG: Type.String({ minLength: 1, default: DEFAULT_CATALOG }),
  FLOWKUBE_READ_TOKEN: Token,
  FLOWKUBE_LAUNCH_TOKEN: Token,
  FLOWKUBE_RETENTION_SECONDS: Type.Integer({ minimum: 60, maximum: 31_536_000, default: 3600 }),
  FLOWKUBE_MAX_ACTIVE: Type.Integer({ minimum: 1, maximum: 100_000, default: 50 }),
  FLOWKUBE_MAX_SCHEDULES: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  FLOWKUBE_KUBE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 300_000, default: 10_000 }),
  FLOWKUBE_WATCH_STALE_SECONDS: Type.Integer({ minimum: 5, maximum: 3600, default: 60 }),
  FLOWKUBE_MAX_LOG_STREAMS: Type.Integer({ minimum: 1, maximum: 100_000, default: 200 }),
  FLOWKUBE_MAX_LOG_STREAMS_PER_USER: Type.Integer({ minimum: 1, maximum: 100_000, default: 10 }),
  FLOWKUBE_AUDIT_FILE: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' }
  ),
});

export interface Config {
  port: number;
  host: string;
  kubeconfig?: string;
  namespace: string;
  catalogPath: string;
  readToken: string;
  launchToken: string;
  retentionSeconds: number;
  maxActive: number;
  /** How many schedules (CronJobs) may exist. */
  maxSchedules: number;
  /** Deadline of each Kubernetes call; also the connect and headers deadline of watches and log streams. */
  kubeTimeoutMs: number;
  /** The Pod watch counts as stale (not ready, restarted) after this long without an event, bookmark or list. */
  watchStaleSeconds: number;
  /** Followed log streams open at once, in all and per user (X-Grafana-User, or 'anonymous' without one). */
  maxLogStreams: number;
  maxLogStreamsPerUser: number;
  /** The audit lines are appended here too (besides stdout), for a log shipper that tails a file. */
  auditFile?: string;
  logLevel: string;
}

const NUMERIC = new Set([
  'PORT',
  'FLOWKUBE_RETENTION_SECONDS',
  'FLOWKUBE_MAX_ACTIVE',
  'FLOWKUBE_MAX_SCHEDULES',
  'FLOWKUBE_KUBE_TIMEOUT_MS',
  'FLOWKUBE_WATCH_STALE_SECONDS',
  'FLOWKUBE_MAX_LOG_STREAMS',
  'FLOWKUBE_MAX_LOG_STREAMS_PER_USER',
]);
const SECRETS = ['FLOWKUBE_READ_TOKEN', 'FLOWKUBE_LAUNCH_TOKEN'];

const validate = createAjv({ coerce: false, useDefaults: true }).compile(ConfigSchema);

type Env = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

function readSecret(env: Env, name: string, readFile: ReadFile): string | undefined {
  const fileVar = `${name}_FILE`;
  const direct = env[name];
  const file = env[fileVar];
  if (direct !== undefined && direct !== '' && file !== undefined && file !== '') {
    throw new Error(`${name} and ${fileVar} are both set: set only one`);
  }
  if (file === undefined || file === '') {
    return direct === '' ? undefined : direct;
  }
  try {
    return readFile(file).replace(/\r?\n$/, '');
  } catch (err) {
    throw new Error(`${fileVar}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * Environment → typed configuration. Every failure is one line that names the variable, because it
 * is what an operator sees in `kubectl logs` when the Pod crash-loops. Secret values are never echoed.
 */
export function loadConfig(env: Env, readFile: ReadFile = (p) => readFileSync(p, 'utf8')): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = SECRETS.includes(key) ? readSecret(env, key, readFile) : env[key];
    if (value === undefined || value === '') {
      continue;
    }
    if (NUMERIC.has(key)) {
      if (!/^\d{1,9}$/.test(value.trim())) {
        throw new Error(`${key} must be a whole number, got ${JSON.stringify(value)}`);
      }
      raw[key] = Number(value.trim());
    } else {
      raw[key] = value;
    }
  }
  if (!validate(raw)) {
    const err = validate.errors![0]!;
    const name = err.keyword === 'required' ? String(err.params.missingProperty) : err.instancePath.slice(1);
    if (err.keyword === 'required') {
      const hint = SECRETS.includes(name) ? ` (or ${name}_FILE)` : '';
      throw new Error(`${name} is required${hint}`);
    }
    const shown = SECRETS.includes(name) ? '' : `, got ${JSON.stringify(raw[name])}`;
    const why =
      err.keyword === 'pattern' && SECRETS.includes(name) ? 'must be printable ASCII without spaces' : err.message;
    throw new Error(`${name} ${why}${shown}`);
  }
  const c = raw as Static<typeof ConfigSchema>;
  if (c.FLOWKUBE_READ_TOKEN === c.FLOWKUBE_LAUNCH_TOKEN) {
    throw new Error('FLOWKUBE_LAUNCH_TOKEN must differ from FLOWKUBE_READ_TOKEN, or the read token could launch jobs');
  }
  return {
    port: c.PORT,
    host: c.HOST,
    kubeconfig: c.KUBECONFIG,
    namespace: c.FLOWKUBE_NAMESPACE,
    catalogPath: c.FLOWKUBE_CATALOG,
    readToken: c.FLOWKUBE_READ_TOKEN,
    launchToken: c.FLOWKUBE_LAUNCH_TOKEN,
    retentionSeconds: c.FLOWKUBE_RETENTION_SECONDS,
    maxActive: c.FLOWKUBE_MAX_ACTIVE,
    maxSchedules: c.FLOWKUBE_MAX_SCHEDULES,
    kubeTimeoutMs: c.FLOWKUBE_KUBE_TIMEOUT_MS,
    watchStaleSeconds: c.FLOWKUBE_WATCH_STALE_SECONDS,
    maxLogStreams: c.FLOWKUBE_MAX_LOG_STREAMS,
    maxLogStreamsPerUser: c.FLOWKUBE_MAX_LOG_STREAMS_PER_USER,
    auditFile: c.FLOWKUBE_AUDIT_FILE,
    logLevel: c.LOG_LEVEL,
  };
}
