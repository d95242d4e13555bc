// A protocol-faithful fake of the Kubernetes API (Pods; batch/v1 CronJobs and Jobs with their controllers;
// ConfigMaps, Events and Leases) for the proxy's tests, the benchmark and the browser test.
// It answers the way the real API server does (Status bodies, generateName, selectors, watch streams with the 410
// ERROR event, pods/log with follow, graceful DELETE) and runs Pods of the worker image as real local python
// processes, so phases, logs and exit codes are real. It listens on 127.0.0.1 only. Every resource is served by one
// generic handler (resource.ts); each resource's own file describes only what is its own.
//
// Where the real API server and a naive fake would differ, this one follows the real one:
// - a watch without resourceVersion (or "0") starts with synthetic ADDED events for what exists; client-node's
//   informer never sees them, because it always watches from its list's resourceVersion;
// - listing or watching a namespace that does not exist gives an empty result; creating in it gives
//   404 `namespaces "x" not found`; reading a Pod there gives 404 `pods "x" not found`;
// - DELETE of an unscheduled or finished Pod (or gracePeriodSeconds=0) removes it at once (MODIFIED with
//   deletionTimestamp, then DELETED); a running one gets SIGTERM and goes once its process has exited;
// - wrong JSON types and unparsable quantities are a 400 (the decoder), semantic problems a 422 with causes.
// - CronJobs fire on a clock tests can move (advanceClock, fireNow); a Job controller makes their Pods, a TTL
//   controller and a garbage collector remove finished Jobs and their Pods (batch.ts and the *-controller.ts files).
// Not modelled: restarts (every Pod behaves as restartPolicy Never), resource limits, PUT outside ConfigMaps and
// Events, json-patch and server-side apply, other resources.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoreV1Event, V1ConfigMap, V1CronJob, V1Job, V1Pod } from '@kubernetes/client-node';
import type { AdmissionHook } from './admission.ts';
import { EVICTION_MESSAGE } from './kubelet.ts';
import { seededPod, withKind } from './objects.ts';
import { resolvePython } from './python.ts';
import { clone } from './store.ts';
import type { Lease } from './leases.ts';
import type { PodQuota } from './quota.ts';
export { priorityClasses, quotaDenial, webhookDenial, type AdmissionHook } from './admission.ts';
import { FakeApiServer, type Fault, type RecordedRequest, type Verb } from './server.ts';

export type { Fault, RecordedRequest, Verb } from './server.ts';
export type { Lease } from './leases.ts';
export type { PodQuota } from './quota.ts';
export { DEADLINE_MESSAGE, EVICTION_MESSAGE } from './kubelet.ts';
export { NAME_ALPHABET } from './objects.ts';

export interface FakeKubeOptions {
  /** Bearer token every request must carry (default 'fake-token'); a wrong or missing one gets a 401 Status. */
  token?: string;
  /** Namespaces that exist (default ['flowkube-jobs']); a create in any other gets 404 `namespaces "x" not found`. */
  namespaces?: string[];
  /** Image repository whose Pods run as python workers (default 'flowkube/worker'); any tag matches. */
  workerImage?: string;
  /** Folder holding the worker scripts (default: <repo>/python). `/app/app_x.py` in a Pod runs `<pythonDir>/app_x.py`. */
  pythonDir?: string;
  /** Python interpreter (default 'python3'). */
  python?: string;
  /** Pending → Running delay of worker Pods in ms (default 100). */
  startDelayMs?: number;
  /** Watch events kept for resourceVersion replay (default 1000); a resume from an older one gets the 410 ERROR. */
  historyLimit?: number;
  /** BOOKMARK interval for watches that ask for them with allowWatchBookmarks=true (default 5000). */
  bookmarkIntervalMs?: number;
  /** The user named in 403 messages (default the proxy's ServiceAccount). */
  user?: string;
}

/** Options of `seedPods`: instant Pods with no process behind them (for lists, retention and the benchmark). */
export interface SeedOptions {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Default 'Succeeded'. Terminal phases get containerStatuses[].state.terminated (exit 0 or 1). */
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** Default 'seed-'; names are `<prefix><index>`, counting per prefix across calls (taken names are skipped). */
  namePrefix?: string;
  /** creationTimestamp (default now). */
  createdAt?: Date;
  /** finishedAt of terminal Pods (default createdAt). */
  finishedAt?: Date;
}

export interface FakeKube {
  /** http://127.0.0.1:<port> */
  url: string;
  token: string;
  /** Argument for `KubeConfig.loadFromOptions()` pointing at this fake (user token defaults to the right one). */
  kubeConfigOptions(user?: { token?: string }): object;
  /** Kills every worker process, ends watches and log streams, closes the server. */
  stop(): Promise<void>;
  /** Deep copies of the stored Pods (all namespaces when none is given), in creation order. */
  pods(namespace?: string): V1Pod[];
  /**
   * Stores n Pods at once (no process, one ADDED event each) and returns copies of them. By default they look like
   * the proxy's `basic` Pods (managed-by, template and job_type labels; launched-by and params annotations).
   */
  seedPods(n: number, opts?: SeedOptions): V1Pod[];
  /** Stores n Pods as seedPods does and returns how many: no copies, so 100,000 Pods seed in seconds. */
  seedPodCount(n: number, opts?: SeedOptions): number;
  /**
   * Test hook: deep-merges `patch` into the Pod's status (arrays are replaced), e.g. `{phase: 'Failed', reason:
   * 'Evicted'}`, and emits MODIFIED. A live worker process keeps running and its exit writes the status again.
   */
  setPodStatus(namespace: string, name: string, patch: Record<string, unknown>): void;
  /**
   * Test hook: the kernel's OOM killer ends the Pod's running container (the first, unless `container` names one):
   * it dies of SIGKILL and the kubelet reports `terminated: {reason: 'OOMKilled', exitCode: 137}`, its message the
   * log tail under FallbackToLogsOnError; the Pod fails. Throws if no such container runs.
   */
  oomKill(namespace: string, name: string, container?: string): void;
  /**
   * Test hook: the kubelet evicts the Pod for node pressure: SIGTERM, SIGKILL 1 s later, then phase Failed with
   * reason Evicted, `message` (default EVICTION_MESSAGE, low memory) and a DisruptionTarget condition. Throws if the
   * Pod is not on the node or has already stopped.
   */
  evict(namespace: string, name: string, message?: string): void;
  /**
   * Test hook: worker Pods created from now until the returned release is called stay Pending, containers
   * ContainerCreating, however long that takes; on release each starts as usual (startDelayMs already waited).
   */
  holdPodStarts(): () => void;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** How many requests (of one verb, or all) on `resource` ('pods' and 'pods/log' by default, or e.g. 'leases') were received. */
  requestCount(verb?: Verb, resource?: string): number;
  resetRequests(): void;
  /**
   * The next `count` (default 1) requests of `verb` fail as `fault` says (after authentication, before RBAC):
   * `{status}` answers that Status (429 with Retry-After), `{reset}` drops the connection unanswered,
   * `{createThenReset}` does the work (the Pod IS created, deleted, …) and then drops the connection,
   * `{delayMs}` serves the request that much later (even if its client has gone by then).
   * Faults apply to Pods unless `resource` names Leases, ConfigMaps or Events.
   */
  failNext(verb: Verb, fault: Fault, count?: number, resource?: 'pods' | 'leases' | 'configmaps' | 'events'): void;
  /** Copies of the stored coordination.k8s.io Leases (all namespaces when none is given), in name order. */
  leases(namespace?: string): Lease[];
  /**
   * A ResourceQuota on the `pods` count of `namespace` (undefined removes it): a create beyond it gets the
   * quota admission's 403 `pods "x" is forbidden: exceeded quota: …`.
   */
  setPodQuota(namespace: string, quota: PodQuota | undefined): void;
  /**
   * Until `allow`, `verb` on `resource` ('pods' by default; 'pods/log' for logs) gets the real 403 message:
   * `pods is forbidden: User "system:serviceaccount:flowkube-admin:flowkube-proxy" cannot create resource "pods" in API group "" in the namespace "flowkube-jobs"`.
   */
  forbid(verb: Verb, resource?: string): void;
  allow(verb: Verb, resource?: string): void;
  /** Ends every open watch stream cleanly (clients reconnect from their last resourceVersion). */
  closeWatches(): void;
  /** Forgets the event history, so any resume from an older resourceVersion gets the 410 ERROR event. */
  expireHistory(): void;
  /** Answers every watch request with HTTP `status` (e.g. 500) until `healWatches()`. Open streams are not touched. */
  breakWatches(status: number): void;
  healWatches(): void;
  /** Number of live worker processes. */
  running(): number;
  /** Current global resourceVersion (the last one handed out). */
  resourceVersion(): string;
  /** TCP connections accepted so far (read-only; shows whether a client reuses keep-alive connections). */
  connections(): number;
  /** Deep copies of the stored CronJobs (all namespaces when none is given). */
  cronJobs(namespace?: string): V1CronJob[];
  /** Deep copies of the stored Jobs (all namespaces when none is given). */
  jobs(namespace?: string): V1Job[];
  /** The batch controllers' time (real time plus every advanceClock). */
  now(): Date;
  /** Moves the batch controllers' clock forward: schedules fire, Job deadlines and TTLs expire at once. */
  advanceClock(ms: number): void;
  /**
   * Moves the clock to the CronJob's next scheduled time, so it fires as the controller decides (suspend and
   * concurrencyPolicy apply), and returns the Job made for that time, if any.
   */
  fireNow(name: string, namespace?: string): V1Job | undefined;
  /** Deep copies of the stored ConfigMaps (all namespaces when none is given), in name order. */
  configMaps(namespace?: string): V1ConfigMap[];
  /** Deep copies of the stored core/v1 Events (all namespaces when none is given). */
  events(namespace?: string): CoreV1Event[];
  /**
   * Adds an admission plugin or webhook that may refuse Pod creates, dry runs included, with the real Status
   * (`webhookDenial`, `quotaDenial`, `priorityClasses` from admission.ts); returns a function that removes it.
   */
  admit(hook: AdmissionHook): () => void;
}

const DEFAULT_LABELS = {
  'app.kubernetes.io/managed-by': 'flowkube',
  'flowkube.io/template': 'basic',
  job_type: 'basic',
};

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
    ) {
      deepMerge(current as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

/** Starts the fake on 127.0.0.1, port 0. */
export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const token = options.token ?? 'fake-token';
  const namespaces = options.namespaces ?? ['flowkube-jobs'];
  const workerImage = options.workerImage ?? 'flowkube/worker';
  const api = new FakeApiServer({
    token,
    user: options.user ?? 'system:serviceaccount:flowkube-admin:flowkube-proxy',
    namespaces,
    historyLimit: options.historyLimit ?? 1000,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
    kubelet: {
      workerImage,
      pythonDir: options.pythonDir ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python'),
      python: await resolvePython(options.python ?? 'python3'),
      startDelayMs: options.startDelayMs ?? 100,
    },
  });
  const server = createServer(api.handle);
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const seeded = new Map<string, number>();
  let stopped = false;
  /** Stores n instant Pods and returns them as stored (callers copy what they hand out). */
  const seed = (n: number, opts: SeedOptions): V1Pod[] => {
    const created: V1Pod[] = [];
    const namespace = opts.namespace ?? namespaces[0] ?? 'default';
    const createdAt = opts.createdAt ?? new Date();
    while (created.length < n) {
      const prefix = opts.namePrefix ?? 'seed-';
      const index = seeded.get(prefix) ?? 0;
      seeded.set(prefix, index + 1);
      const name = `${prefix}${index}`;
      if (api.store.get(namespace, name)) {
        continue;
      }
      const pod = seededPod({
        namespace,
        name,
        labels: { ...(opts.labels ?? DEFAULT_LABELS) },
        annotations: { ...(opts.annotations ?? { 'flowkube.io/launched-by': 'seed', 'flowkube.io/params': '{}' }) },
        phase: opts.phase ?? 'Succeeded',
        createdAt,
        finishedAt: opts.finishedAt ?? createdAt,
        image: `${workerImage}:0.1.0`,
      });
      const stored = api.store.add(pod);
      api.kubelet.adopt(stored);
      created.push(stored);
    }
    return created;
  };

  return {
    url,
    token,
    kubeConfigOptions(user) {
      const userToken = user && 'token' in user ? user.token : token;
      return {
        clusters: [{ name: 'fake-kube', server: url, skipTLSVerify: true }],
        users: [userToken === undefined ? { name: 'fake-user' } : { name: 'fake-user', token: userToken }],
        contexts: [{ name: 'fake-kube', cluster: 'fake-kube', user: 'fake-user' }],
        currentContext: 'fake-kube',
      };
    },
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      api.batch.stop();
      api.kubelet.stop();
      api.closeStreams();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), api.kubelet.drained()]);
    },
    pods(namespace) {
      const all = api.store.all().filter((p) => namespace === undefined || p.metadata?.namespace === namespace);
      return all.map((p) => clone(withKind(p)));
    },
    seedPods(n, opts = {}) {
      return seed(n, opts).map((p) => clone(withKind(p)));
    },
    seedPodCount(n, opts = {}) {
      return seed(n, opts).length;
    },
    holdPodStarts: () => api.kubelet.holdStarts(),
    oomKill(namespace, name, container) {
      api.kubelet.oomKill(namespace, name, container);
    },
    evict(namespace, name, message = EVICTION_MESSAGE) {
      api.kubelet.evict(namespace, name, message);
    },
    setPodStatus(namespace, name, patch) {
      const updated = api.store.update(namespace, name, (d) => {
        d.status ??= {};
        deepMerge(d.status as Record<string, unknown>, patch);
      });
      if (!updated) {
        throw new Error(`fake-kube: no Pod ${namespace}/${name}`);
      }
    },
    requests: api.requests,
    requestCount(verb, resource) {
      const onResource = (r: RecordedRequest) =>
        resource === undefined ? r.resource === 'pods' || r.resource === 'pods/log' : r.resource === resource;
      return api.requests.filter((r) => (verb === undefined || r.verb === verb) && onResource(r)).length;
    },
    resetRequests() {
      api.requests.length = 0;
    },
    failNext(verb: Verb, fault: Fault, count?: number, resource?: 'pods' | 'leases' | 'configmaps' | 'events') {
      api.failNext(verb, fault, count, resource);
    },
    leases(namespace) {
      return api.leases.store.list(namespace).map((l) => clone(l) as unknown as Lease);
    },
    setPodQuota(namespace, quota) {
      if (quota) {
        api.quotas.set(namespace, quota);
      } else {
        api.quotas.delete(namespace);
      }
    },
    forbid(verb, resource) {
      api.forbid(verb, resource);
    },
    allow(verb, resource) {
      api.allow(verb, resource);
    },
    closeWatches() {
      api.closeWatches();
    },
    expireHistory() {
      for (const resource of api.resources.values()) {
        resource.store.expire();
      }
    },
    breakWatches(status) {
      api.breakWatches(status);
    },
    healWatches() {
      api.breakWatches(undefined);
    },
    running() {
      return api.kubelet.running();
    },
    resourceVersion() {
      return String(api.store.currentRv());
    },
    connections() {
      return connections;
    },
    cronJobs(namespace) {
      return api.batch.cronJobs
        .all()
        .filter((c) => namespace === undefined || c.metadata?.namespace === namespace)
        .map((c) => clone({ kind: 'CronJob', apiVersion: 'batch/v1', ...c }));
    },
    jobs(namespace) {
      return api.batch.jobs
        .all()
        .filter((j) => namespace === undefined || j.metadata?.namespace === namespace)
        .map((j) => clone({ kind: 'Job', apiVersion: 'batch/v1', ...j }));
    },
    now() {
      return api.clock.now();
    },
    advanceClock(ms) {
      api.clock.advance(ms);
    },
    fireNow(name, namespace = namespaces[0] ?? 'default') {
      const at = api.batch.cronJobController.nextScheduleTime(namespace, name);
      if (!at) {
        return undefined;
      }
      api.clock.advanceTo(at);
      const job = api.batch.jobs.get(namespace, `${name}-${Math.floor(at.getTime() / 60_000)}`);
      return job ? clone({ kind: 'Job', apiVersion: 'batch/v1', ...job }) : undefined;
    },
    configMaps(namespace) {
      return api.core.configMaps.list(namespace).map((o) => clone(o) as V1ConfigMap);
    },
    events(namespace) {
      return api.core.events.list(namespace).map((o) => clone(o) as CoreV1Event);
    },
    admit(hook) {
      api.admission.push(hook);
      return () => {
        const i = api.admission.indexOf(hook);
        if (i >= 0) {
          api.admission.splice(i, 1);
        }
      };
    },
  };
}
