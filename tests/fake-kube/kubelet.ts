// The node: takes each admitted Pod through the kubelet's phases. Containers of the worker image run as real
// python processes (argv from command+args, env from the container spec and the downward API, no shell); any
// other image never pulls. Status changes go through the store, so every one is a MODIFIED event.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';
import { containerEnv, imageRepository, resolveArgv } from './container.ts';
import { LogBuffer } from './logs.ts';
import { TerminationFile, terminationMessage } from './terminationMessage.ts';
import { asDate, timestamp } from './objects.ts';
import { keyOf, type PodStore } from './store.ts';

export interface KubeletOptions {
  workerImage: string;
  pythonDir: string;
  python: string;
  startDelayMs: number;
}

interface ContainerRuntime {
  spec: V1Container;
  log: LogBuffer;
  containerID: string;
  child?: ChildProcess;
  startedAt?: string;
  waiting: { reason: string; message?: string };
  terminated?: Terminated;
  /** The kernel's OOM killer ended it: the runtime reports OOMKilled instead of Error. */
  oomKilled?: boolean;
}

interface Terminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt?: string;
  finishedAt: string;
}

interface PodRuntime {
  namespace: string;
  name: string;
  containers: ContainerRuntime[];
  timers: Set<NodeJS.Timeout>;
  conditionTimes: Map<string, { status: string; at: string }>;
  startTime?: string;
  podIP?: string;
  deadlineExceeded: boolean;
  /** The eviction message, once the eviction manager has picked this Pod. */
  evicted?: string;
  /** Fires when activeDeadlineSeconds, counted from startTime, runs out. */
  deadlineTimer?: NodeJS.Timeout;
  /** spec.terminationGracePeriodSeconds (30 when unset): how long a Pod the kubelet stops has after SIGTERM. */
  graceSeconds: number;
  terminating: boolean;
}

export const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

/**
 * What the eviction manager writes for memory pressure on a node with the default hard threshold, memory.available
 * < 100Mi (kubernetes pkg/kubelet/eviction/defaults_linux.go), when no container used more than its request:
 * nodeLowMessageFmt and thresholdMetMessageFmt of pkg/kubelet/eviction/helpers.go (evictionMessage), each sentence
 * ending in a space.
 */
export const EVICTION_MESSAGE = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 95504Ki. ';

/** immediateEvictionGracePeriodSeconds of pkg/kubelet/eviction/eviction_manager.go: a hard threshold's grace. */
const EVICTION_GRACE_MS = 1000;

/** A container the kubelet never saw run in a Pod that was stopped (the deadline, an eviction). */
const neverRan = (): Terminated => ({
  exitCode: 137,
  reason: 'ContainerStatusUnknown',
  message: 'The container could not be located when the pod was terminated',
  finishedAt: timestamp(),
});

// Python sets PR_SET_PDEATHSIG before exec'ing the worker, so a worker dies with the test process even when that
// process is SIGKILLed and no exit hook runs: no orphans, ever. If the parent died before prctl took effect, the
// wrapper sees it has been re-parented and exits instead.
const PDEATHSIG_WRAPPER = [
  'import os, signal, sys',
  'try:',
  '    import ctypes',
  '    ctypes.CDLL(None).prctl(1, signal.SIGKILL)',
  'except Exception:',
  '    pass',
  'if os.getppid() != int(sys.argv[1]):',
  '    os._exit(137)',
  'os.execv(sys.executable, [sys.executable] + sys.argv[2:])',
].join('\n');

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) {
      child.kill('SIGKILL');
    }
  });
}

const signalExitCode = (signal: NodeJS.Signals | null): number =>
  signal ? 128 + (constants.signals[signal] ?? 0) : 128;

export class Kubelet {
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly store: PodStore;
  private readonly opts: KubeletOptions;
  private stopped = false;
  private podCount = 0;
  /** Starts owed to Pods admitted during the current holdStarts(), if one is active. */
  private held: Map<PodRuntime, () => void> | undefined;

  constructor(store: PodStore, opts: KubeletOptions) {
    this.store = store;
    this.opts = opts;
    installExitHook();
  }

  running(): number {
    let n = 0;
    for (const rt of this.runtimes.values()) {
      n += rt.containers.filter((c) => c.child && !c.terminated).length;
    }
    return n;
  }

  /** A freshly created Pod: schedule it, then start (or fail to pull) its containers. */
  admit(pod: V1Pod): void {
    const rt = this.newRuntime(pod);
    // whether it is held is decided at admission, not when the timer below runs: under load that can be after the
    // create's answer, when the test may already have started a hold for the Pods after this one
    const held = this.held;
    this.later(rt, 0, () => {
      this.store.update(rt.namespace, rt.name, (d) => {
        (d.spec ??= { containers: [] }).nodeName = 'fake-node';
        d.status = { ...d.status, conditions: [this.condition(rt, 'PodScheduled', 'True')] };
      });
      rt.startTime = timestamp();
      this.publish(rt);
      this.armDeadline(rt, this.store.get(rt.namespace, rt.name)?.spec?.activeDeadlineSeconds);
      const start = () => this.startContainers(rt, pod);
      this.later(rt, this.opts.startDelayMs, () => (held && this.held === held ? held.set(rt, start) : start()));
    });
  }

  /**
   * Test hook: Pods admitted from now until the returned release is called stay Pending (scheduled, their
   * containers ContainerCreating) however long that takes, like a node still pulling the image; on release each one
   * still on the node starts as usual. Lets a test see Pending without a long start delay for every Pod.
   */
  holdStarts(): () => void {
    const held = new Map<PodRuntime, () => void>();
    this.held = held;
    return () => {
      if (this.held === held) {
        this.held = undefined;
      }
      for (const [rt, start] of held) {
        if (!this.stopped && !rt.terminating && this.runtimes.get(keyOf(rt.namespace, rt.name)) === rt) {
          start();
        }
      }
      held.clear();
    };
  }

  /** A Pod from seedPods(): it already is in `phase`; no process, an empty log. */
  adopt(pod: V1Pod): void {
    const rt = this.newRuntime(pod);
    const phase = pod.status?.phase;
    rt.startTime = pod.status?.startTime as unknown as string | undefined;
    for (const c of rt.containers) {
      const state = pod.status?.containerStatuses?.find((s) => s.name === c.spec.name)?.state;
      if (state?.running || state?.terminated) {
        c.startedAt = rt.startTime;
      }
      if (phase === 'Succeeded' || phase === 'Failed') {
        c.log.end();
      }
    }
  }

  /** Graceful deletion: SIGTERM now, SIGKILL after the grace period, and the Pod goes once its processes are gone. */
  terminate(namespace: string, name: string, graceSeconds: number): void {
    const rt = this.runtimes.get(keyOf(namespace, name));
    if (!rt) {
      this.deleteNow(namespace, name);
      return;
    }
    const wasTerminating = rt.terminating;
    rt.terminating = true;
    this.clearTimers(rt);
    const live = rt.containers.filter((c) => c.child && !c.terminated);
    if (live.length === 0 || graceSeconds === 0) {
      for (const c of live) {
        c.child?.kill('SIGKILL');
      }
      this.finish(rt);
      return;
    }
    if (!wasTerminating) {
      for (const c of live) {
        c.child?.kill('SIGTERM');
      }
    }
    this.later(rt, graceSeconds * 1000, () => {
      for (const c of rt.containers) {
        if (c.child && !c.terminated) {
          c.child.kill('SIGKILL');
        }
      }
    });
  }

  /**
   * An update changed spec.activeDeadlineSeconds (it can only go down). The kubelet re-checks the deadline at the
   * Pod's next sync, which the update triggers, so a deadline already past stops the Pod at once
   * (kubernetes/kubernetes pkg/kubelet/active_deadline.go, ShouldEvict; pkg/kubelet/kubelet.go, syncPod).
   */
  deadlineChanged(namespace: string, name: string, seconds: number | undefined): void {
    const rt = this.runtimes.get(keyOf(namespace, name));
    if (rt && rt.startTime !== undefined && !rt.terminating && !rt.deadlineExceeded && rt.evicted === undefined) {
      this.armDeadline(rt, seconds);
    }
  }

  /**
   * Test hook: the kernel's OOM killer ends a running container (the first one unless `container` names another).
   * containerd marks the container from the TaskOOM event, reason OOMKilled and no message (containerd
   * internal/cri/server/events.go), and the process dies of SIGKILL, exit 137. The kubelet then fills the message as
   * for any failed exit: the termination file, else the log tail under FallbackToLogsOnError
   * (pkg/kubelet/kuberuntime/kuberuntime_container.go, convertToKubeContainerStatus). The Pod fails, with no reason
   * of its own, since every Pod here is restartPolicy Never.
   */
  oomKill(namespace: string, name: string, container?: string): void {
    const rt = this.runtimes.get(keyOf(namespace, name));
    const c = rt?.containers.find((x) => (container === undefined || x.spec.name === container) && !x.terminated);
    if (!c?.child) {
      const which = container === undefined ? '' : ` "${container}"`;
      throw new Error(`fake-kube: no running container${which} in Pod ${namespace}/${name}`);
    }
    c.oomKilled = true;
    c.child.kill('SIGKILL');
  }

  /**
   * Test hook: the eviction manager evicts the Pod for node pressure (pkg/kubelet/eviction/eviction_manager.go,
   * evictPod): its containers get SIGTERM and, a hard threshold's grace later, SIGKILL; one that never started is
   * reported as for a deadline. The status manager holds the terminal status back until no container runs
   * (pkg/kubelet/status/status_manager.go, mergePodStatus), then it says phase Failed, reason Evicted, the message,
   * and a DisruptionTarget condition (reason TerminationByKubelet) with the same message. Not modelled: the Warning
   * Event "Evicted" the kubelet records on the Pod.
   */
  evict(namespace: string, name: string, message: string): void {
    const rt = this.runtimes.get(keyOf(namespace, name));
    if (
      !rt ||
      rt.startTime === undefined ||
      rt.terminating ||
      rt.deadlineExceeded ||
      rt.evicted !== undefined ||
      rt.containers.every((c) => c.terminated)
    ) {
      throw new Error(`fake-kube: Pod ${namespace}/${name} is not active on the node`);
    }
    rt.evicted = message;
    this.clearTimers(rt);
    const live = rt.containers.filter((c) => c.child && !c.terminated);
    for (const c of rt.containers) {
      if (live.includes(c)) {
        c.child?.kill('SIGTERM');
      } else if (!c.terminated) {
        c.terminated = neverRan();
      }
    }
    if (live.length === 0) {
      this.publish(rt);
      return;
    }
    this.later(rt, EVICTION_GRACE_MS, () => {
      for (const c of live) {
        if (!c.terminated) {
          c.child?.kill('SIGKILL');
        }
      }
    });
  }

  /** The log of one container, or why there is none yet (the API's 400 wording). */
  log(namespace: string, name: string, container: string): LogBuffer | string {
    const c = this.runtimes.get(keyOf(namespace, name))?.containers.find((x) => x.spec.name === container);
    if (c?.startedAt || c?.terminated) {
      return c.log;
    }
    const reason = c?.waiting.reason ?? 'ContainerCreating';
    const why =
      reason === 'ErrImagePull'
        ? "image can't be pulled"
        : reason === 'ImagePullBackOff'
          ? 'trying and failing to pull image'
          : reason;
    return `container "${container}" in pod "${name}" is waiting to start: ${why}`;
  }

  stop(): void {
    this.stopped = true;
    for (const rt of this.runtimes.values()) {
      this.clearTimers(rt);
      for (const c of rt.containers) {
        c.child?.kill('SIGKILL');
        c.log.end();
      }
    }
  }

  /** Resolves once every worker process of this kubelet has exited. */
  async drained(): Promise<void> {
    const children = [...this.runtimes.values()].flatMap((rt) =>
      rt.containers.filter((c) => c.child && !c.terminated).map((c) => c.child as ChildProcess)
    );
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) =>
            child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('close', () => resolve())
          )
      )
    );
  }

  private newRuntime(pod: V1Pod): PodRuntime {
    const rt: PodRuntime = {
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      containers: (pod.spec?.containers ?? []).map((spec) => ({
        spec,
        log: new LogBuffer(),
        containerID: `containerd://${randomBytes(32).toString('hex')}`,
        waiting: { reason: 'ContainerCreating' },
      })),
      timers: new Set(),
      conditionTimes: new Map(),
      deadlineExceeded: false,
      graceSeconds: Math.max(0, pod.spec?.terminationGracePeriodSeconds ?? 30),
      terminating: false,
    };
    this.runtimes.set(keyOf(rt.namespace, rt.name), rt);
    return rt;
  }

  private startContainers(rt: PodRuntime, pod: V1Pod): void {
    // a held start released after the Pod was stopped on the node
    if (rt.deadlineExceeded || rt.evicted !== undefined) {
      return;
    }
    const n = ++this.podCount;
    rt.podIP = `10.244.${(n >> 8) & 255}.${n & 255}`;
    const current = this.store.get(rt.namespace, rt.name) ?? pod;
    for (const c of rt.containers) {
      const image = c.spec.image ?? '';
      if (imageRepository(image) !== imageRepository(this.opts.workerImage)) {
        c.waiting = {
          reason: 'ErrImagePull',
          message: `failed to pull and unpack image "docker.io/${image}": not found`,
        };
        this.later(rt, this.opts.startDelayMs, () => {
          c.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
          this.publish(rt);
        });
        continue;
      }
      const env = containerEnv(current, c.spec, rt.podIP);
      if (typeof env === 'string') {
        c.waiting = { reason: 'CreateContainerConfigError', message: env };
        continue;
      }
      const argv = resolveArgv(c.spec, env, this.opts.pythonDir);
      if (typeof argv === 'string') {
        const now = timestamp();
        c.terminated = { exitCode: 128, reason: 'StartError', message: argv, finishedAt: now };
        c.log.end();
        continue;
      }
      this.spawn(rt, c, env, argv);
    }
    this.publish(rt);
    this.finishIfDone(rt);
  }

  private spawn(rt: PodRuntime, c: ContainerRuntime, env: Record<string, string>, argv: string[]): void {
    const terminationFile = new TerminationFile();
    const child = spawn(this.opts.python, ['-c', PDEATHSIG_WRAPPER, String(process.pid), ...argv], {
      cwd: this.opts.pythonDir,
      env: { ...env, FLOWKUBE_TERMINATION_LOG: terminationFile.path },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.child = child;
    c.startedAt = timestamp();
    liveChildren.add(child);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => c.log.append('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => c.log.append('stderr', chunk));
    let spawnError: Error | undefined;
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      liveChildren.delete(child);
      c.log.end();
      const exitCode = spawnError ? 128 : (code ?? signalExitCode(signal));
      const reason = spawnError ? 'StartError' : c.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
      const message = terminationMessage({
        file: terminationFile.collect(),
        policy: c.spec.terminationMessagePolicy,
        exitCode,
        reason,
        logLines: c.log.lines.map((l) => l.text),
      });
      c.terminated = {
        exitCode,
        reason,
        message: spawnError?.message ?? (message || undefined),
        startedAt: c.startedAt,
        finishedAt: timestamp(),
      };
      if (this.stopped) {
        return;
      }
      if (rt.containers.every((x) => x.terminated)) {
        this.clearTimers(rt);
      }
      this.publish(rt);
      this.finishIfDone(rt);
    });
  }

  /** The kubelet counts the deadline from status.startTime. */
  private armDeadline(rt: PodRuntime, seconds: number | undefined): void {
    if (rt.deadlineTimer) {
      clearTimeout(rt.deadlineTimer);
      rt.timers.delete(rt.deadlineTimer);
      rt.deadlineTimer = undefined;
    }
    if (seconds === undefined || rt.startTime === undefined) {
      return;
    }
    const left = Math.max(0, Date.parse(rt.startTime) + seconds * 1000 - Date.now());
    const timer = setTimeout(() => {
      rt.timers.delete(timer);
      rt.deadlineTimer = undefined;
      if (!this.stopped && !rt.terminating && !rt.containers.every((c) => c.terminated)) {
        this.exceedDeadline(rt);
      }
    }, left);
    timer.unref();
    rt.timers.add(timer);
    rt.deadlineTimer = timer;
  }

  /**
   * The deadline ran out (pkg/kubelet/active_deadline.go): the Pod is failed, and its pod worker stops it with the
   * Pod's own grace period, as no deletion or eviction set a shorter one (pkg/kubelet/pod_workers.go,
   * calculateEffectiveGracePeriod, which falls back to spec.terminationGracePeriodSeconds): SIGTERM now, SIGKILL for
   * what still runs once the grace is over. A worker that stops on SIGTERM exits 143, one that ignores it 137.
   */
  private exceedDeadline(rt: PodRuntime): void {
    rt.deadlineExceeded = true;
    this.clearTimers(rt);
    const live = rt.containers.filter((c) => c.child && !c.terminated);
    for (const c of rt.containers) {
      if (live.includes(c)) {
        c.child?.kill(rt.graceSeconds === 0 ? 'SIGKILL' : 'SIGTERM');
      } else if (!c.terminated) {
        c.terminated = neverRan();
      }
    }
    if (live.length === 0) {
      this.publish(rt);
      return;
    }
    this.later(rt, rt.graceSeconds * 1000, () => {
      for (const c of live) {
        if (!c.terminated) {
          c.child?.kill('SIGKILL');
        }
      }
    });
  }

  private finishIfDone(rt: PodRuntime): void {
    if (rt.terminating && rt.containers.every((c) => !c.child || c.terminated)) {
      this.finish(rt);
    }
  }

  /** The kubelet's last word on a deleted Pod: the object goes and watchers get DELETED. */
  private finish(rt: PodRuntime): void {
    this.clearTimers(rt);
    for (const c of rt.containers) {
      c.log.end();
    }
    this.runtimes.delete(keyOf(rt.namespace, rt.name));
    this.deleteNow(rt.namespace, rt.name);
  }

  /**
   * The final DELETE with a grace period of 0. The kubelet sends it only once the Pod's phase is terminal, so it
   * writes Failed first for a Pod stopped before it ended (pkg/kubelet/status/status_manager.go, canBeDeleted:
   * "Delaying pod deletion as the phase is non-terminal"); that shows only on a Pod that finalizers keep. A Pod no
   * node took never had a kubelet: the API server deletes it and its phase stays.
   */
  private deleteNow(namespace: string, name: string): void {
    const pod = this.store.get(namespace, name);
    const phase = pod?.status?.phase;
    if (pod?.metadata?.finalizers?.length && pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed') {
      this.store.update(namespace, name, (d) => {
        d.status = { ...d.status, phase: 'Failed' };
      });
    }
    this.store.deleteNow(namespace, name);
  }

  private publish(rt: PodRuntime): void {
    if (this.stopped) {
      return;
    }
    this.store.update(rt.namespace, rt.name, (d) => {
      d.status = this.status(rt, d.status ?? {});
    });
  }

  private status(rt: PodRuntime, previous: V1PodStatus): V1PodStatus {
    const cs = rt.containers.map((c) => this.containerStatus(c));
    const done = rt.containers.every((c) => c.terminated);
    const running = rt.containers.every((c) => c.startedAt && !c.terminated);
    let phase = 'Pending';
    if (done) {
      const stopped = rt.deadlineExceeded || rt.evicted !== undefined;
      phase = !stopped && rt.containers.every((c) => c.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
    } else if (rt.containers.every((c) => c.startedAt || c.terminated)) {
      // Every container was created and at least one still runs.
      phase = 'Running';
    }
    const ready = phase === 'Running' && running;
    const notReady = rt.containers.filter((c) => !(c.startedAt && !c.terminated)).map((c) => c.spec.name);
    const readyReason = done ? 'PodCompleted' : 'ContainersNotReady';
    const readyMessage = done ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
    const status: V1PodStatus = {
      ...previous,
      phase,
      conditions: [
        this.condition(rt, 'PodReadyToStartContainers', 'True'),
        this.condition(rt, 'Initialized', 'True'),
        this.condition(
          rt,
          'Ready',
          ready ? 'True' : 'False',
          ready ? undefined : readyReason,
          ready ? undefined : readyMessage
        ),
        this.condition(
          rt,
          'ContainersReady',
          ready ? 'True' : 'False',
          ready ? undefined : readyReason,
          ready ? undefined : readyMessage
        ),
        this.condition(rt, 'PodScheduled', 'True'),
      ],
      hostIP: '10.0.0.10',
      hostIPs: [{ ip: '10.0.0.10' }],
      startTime: rt.startTime ? asDate(rt.startTime) : undefined,
      containerStatuses: cs,
    };
    if (rt.podIP) {
      status.podIP = rt.podIP;
      status.podIPs = [{ ip: rt.podIP }];
    }
    if (rt.deadlineExceeded) {
      status.reason = 'DeadlineExceeded';
      status.message = DEADLINE_MESSAGE;
    }
    if (rt.evicted !== undefined && done) {
      status.reason = 'Evicted';
      status.message = rt.evicted;
      status.conditions = [
        ...(status.conditions ?? []),
        this.condition(rt, 'DisruptionTarget', 'True', 'TerminationByKubelet', rt.evicted),
      ];
    }
    return status;
  }

  private containerStatus(c: ContainerRuntime): V1ContainerStatus {
    const base = {
      name: c.spec.name,
      image: c.spec.image ?? '',
      imageID: c.startedAt ? `docker.io/${c.spec.image ?? ''}` : '',
      restartCount: 0,
    };
    if (c.terminated) {
      const t = c.terminated;
      return {
        ...base,
        containerID: c.startedAt ? c.containerID : undefined,
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: t.exitCode,
            reason: t.reason,
            message: t.message,
            startedAt: t.startedAt ? asDate(t.startedAt) : undefined,
            finishedAt: asDate(t.finishedAt),
            containerID: c.startedAt ? c.containerID : undefined,
          },
        },
      };
    }
    if (c.startedAt) {
      return {
        ...base,
        containerID: c.containerID,
        ready: true,
        started: true,
        state: { running: { startedAt: asDate(c.startedAt) } },
      };
    }
    return { ...base, ready: false, started: false, state: { waiting: { ...c.waiting } } };
  }

  private condition(rt: PodRuntime, type: string, status: string, reason?: string, message?: string): V1PodCondition {
    const prev = rt.conditionTimes.get(type);
    const at = prev && prev.status === status ? prev.at : timestamp();
    rt.conditionTimes.set(type, { status, at });
    const condition: V1PodCondition = { type, status, lastProbeTime: undefined, lastTransitionTime: asDate(at) };
    if (reason) {
      condition.reason = reason;
    }
    if (message) {
      condition.message = message;
    }
    return condition;
  }

  private later(rt: PodRuntime, ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      rt.timers.delete(timer);
      if (!this.stopped) {
        fn();
      }
    }, ms);
    timer.unref();
    rt.timers.add(timer);
  }

  private clearTimers(rt: PodRuntime): void {
    for (const timer of rt.timers) {
      clearTimeout(timer);
    }
    rt.timers.clear();
  }
}
