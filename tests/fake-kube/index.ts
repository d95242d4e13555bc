// A protocol-faithful fake of the Kubernetes API (Pods only) for the proxy's tests, the benchmark and the browser test.
// It answers the way the real API server does (Status bodies, generateName, selectors, watch streams with the 410
// ERROR event, pods/log with follow, graceful DELETE) and runs Pods of the worker image as real local python
// processes, so phases, logs and exit codes are real. It listens on 127.0.0.1 only.
import type { V1Pod } from '@kubernetes/client-node';

export interface FakeKubeOptions {
  /** Bearer token every request must carry (default 'fake-token'); a wrong or missing one gets a 401 Status. */
  token?: string;
  /** Namespaces that exist (default ['flowkube-jobs']); any other gets 404 `namespaces "x" not found`. */
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
}

/** Options of `seedPods`: instant Pods with no process behind them (for lists, retention and the benchmark). */
export interface SeedOptions {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Default 'Succeeded'. Terminal phases get containerStatuses[].state.terminated (exit 0 or 1). */
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** Default 'seed-'; names are `<prefix><index>` counting across calls. */
  namePrefix?: string;
  /** creationTimestamp (default now). */
  createdAt?: Date;
  /** finishedAt of terminal Pods (default createdAt). */
  finishedAt?: Date;
}

/** One request as the fake saw it; `verb` is the Kubernetes verb it mapped to. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  verb: Verb | 'other';
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'delete' | 'log';

/**
 * A scripted failure for the next request(s) of a verb:
 * - `{status}`: answer with that Status code (429 carries Retry-After and details.retryAfterSeconds);
 * - `{reset: true}`: destroy the socket without answering;
 * - `{createThenReset: true}`: the Pod IS created, then the socket is destroyed before the answer ("did it land?").
 */
export type Fault =
  { status: 429 | 500 | 503 | 403 | 422; retryAfterSeconds?: number } | { reset: true } | { createThenReset: true };

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
  /** Stores n Pods at once (no process, one ADDED event each) and returns copies of them. */
  seedPods(n: number, opts?: SeedOptions): V1Pod[];
  /** Test hook: deep-merges `patch` into the Pod's status (e.g. Failed/OOMKilled) and emits MODIFIED. */
  setPodStatus(namespace: string, name: string, patch: Record<string, unknown>): void;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** How many requests (of one verb, or all) were received. */
  requestCount(verb?: Verb): number;
  resetRequests(): void;
  /** The next `count` (default 1) requests of `verb` fail as `fault` says. */
  failNext(verb: Verb, fault: Fault, count?: number): void;
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
}

/** Starts the fake on 127.0.0.1, port 0. */
export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  // TODO: being filled in; the API above is stable.
  void options;
  throw new Error('fake-kube: not implemented yet');
}
