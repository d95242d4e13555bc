// The Job controller (kubernetes/kubernetes pkg/controller/job/job_controller.go), for the Jobs FlowKube makes:
// one Pod at a time from spec.template (generateName `<job>-`, the template's labels, which the strategy gave
// batch.kubernetes.io/job-name and controller-uid, and a controller ownerReference), a new Pod after a failure while
// the backoffLimit allows, status counts, the Complete or Failed condition (with SuccessCriteriaMet / FailureTarget
// first, as 1.31+ writes them) and activeDeadlineSeconds. Not modelled: parallelism above 1, indexed Jobs,
// suspend, pod failure policies, the job-tracking finalizer itself (Pods are counted as it guarantees) and the exponential delay before a replacement Pod.
import type { V1Job, V1JobCondition, V1Pod } from '@kubernetes/client-node';
import { controllerRef, isFinished } from './batch-objects.ts';
import type { FakeClock } from './clock.ts';
import type { Kubelet } from './kubelet.ts';
import { admitPod, generateName, timestamp } from './objects.ts';
import { clone, type ObjectStore, type PodStore } from './store.ts';

export interface JobControllerDeps {
  jobs: ObjectStore<V1Job>;
  pods: PodStore;
  kubelet: Kubelet;
  clock: FakeClock;
  /** Deletes a Pod gracefully (the garbage collector's way). */
  deletePod(pod: V1Pod): void;
}

export const controllerUid = (meta: V1Pod['metadata']): string | undefined =>
  meta?.ownerReferences?.find((o) => o.controller)?.uid;

const condition = (type: string, reason: string, message: string, at: string): V1JobCondition => ({
  type,
  status: 'True',
  reason,
  message,
  lastProbeTime: at as unknown as Date,
  lastTransitionTime: at as unknown as Date,
});

export class JobController {
  private readonly d: JobControllerDeps;
  private readonly queued = new Set<string>();
  /** Job uid → the final state of each Pod it counted, by Pod uid. */
  private readonly counted = new Map<string, Map<string, 'Succeeded' | 'Failed'>>();
  /** Job uid → uids of the Pods it created. */
  private readonly created = new Map<string, string[]>();
  private flushing = false;

  constructor(deps: JobControllerDeps) {
    this.d = deps;
    deps.jobs.subscribe((e) => {
      if (e.type !== 'DELETED') {
        this.enqueue(`${e.object.metadata?.namespace}/${e.object.metadata?.name}`);
      } else {
        this.counted.delete(e.object.metadata?.uid ?? '');
        this.created.delete(e.object.metadata?.uid ?? '');
      }
    });
    deps.pods.subscribe((e) => {
      const uid = controllerUid(e.object.metadata);
      const job = uid ? deps.jobs.all().find((j) => j.metadata?.uid === uid) : undefined;
      if (job) {
        this.enqueue(`${job.metadata?.namespace}/${job.metadata?.name}`);
      }
    });
  }

  /** Looks at every Job again (the clock moved: deadlines). */
  resyncAll(): void {
    for (const job of this.d.jobs.all()) {
      this.enqueue(`${job.metadata?.namespace}/${job.metadata?.name}`);
    }
  }

  private enqueue(key: string): void {
    this.queued.add(key);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushing = false;
    const keys = [...this.queued];
    this.queued.clear();
    for (const key of keys) {
      const [namespace = '', name = ''] = key.split('/');
      this.sync(namespace, name);
    }
  }

  private sync(namespace: string, name: string): void {
    const job = this.d.jobs.get(namespace, name);
    if (!job || job.metadata?.deletionTimestamp !== undefined || isFinished(job)) {
      return;
    }
    const uid = job.metadata?.uid;
    const pods = this.d.pods.list(namespace).filter((p) => controllerUid(p.metadata) === uid);
    const terminal = (p: V1Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
    const active = pods.filter((p) => !terminal(p) && p.metadata?.deletionTimestamp === undefined);
    // Pods are counted once and for good (the job-tracking finalizer's purpose): a Pod deleted or terminating
    // before it succeeded is a failure, even once it is gone from the store.
    const seen = this.counted.get(uid ?? '') ?? new Map<string, 'Succeeded' | 'Failed'>();
    this.counted.set(uid ?? '', seen);
    for (const p of pods) {
      const podUid = p.metadata?.uid ?? '';
      if (p.status?.phase === 'Succeeded') {
        seen.set(podUid, 'Succeeded');
      } else if (p.status?.phase === 'Failed' || p.metadata?.deletionTimestamp !== undefined) {
        seen.set(podUid, seen.get(podUid) ?? 'Failed');
      }
    }
    for (const podUid of this.created.get(uid ?? '') ?? []) {
      if (!seen.has(podUid) && !pods.some((p) => p.metadata?.uid === podUid)) {
        seen.set(podUid, 'Failed');
      }
    }
    const succeeded = [...seen.values()].filter((v) => v === 'Succeeded').length;
    const failed = [...seen.values()].filter((v) => v === 'Failed').length;
    const ready = active.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const now = this.d.clock.now();
    const at = timestamp(now);
    const spec = job.spec ?? { template: {} };
    const startTime = (job.status?.startTime as unknown as string | undefined) ?? at;
    const conditions: V1JobCondition[] = [];
    let completionTime: string | undefined;
    let create = false;

    const deadline = spec.activeDeadlineSeconds;
    if (deadline !== undefined && now.getTime() - Date.parse(startTime) >= deadline * 1000) {
      active.forEach((p) => this.d.deletePod(p));
      const message = 'Job was active longer than specified deadline';
      conditions.push(condition('FailureTarget', 'DeadlineExceeded', message, at));
      conditions.push(condition('Failed', 'DeadlineExceeded', message, at));
    } else if (succeeded >= (spec.completions ?? 1)) {
      conditions.push(
        condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', at)
      );
      conditions.push(condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', at));
      completionTime = at;
    } else if (failed > (spec.backoffLimit ?? 6)) {
      const message = 'Job has reached the specified backoff limit';
      conditions.push(condition('FailureTarget', 'BackoffLimitExceeded', message, at));
      conditions.push(condition('Failed', 'BackoffLimitExceeded', message, at));
    } else if (active.length === 0) {
      create = true;
    }
    if (create) {
      this.createPod(job);
    }
    const status = {
      ...clone(job.status ?? {}),
      startTime,
      active: (create ? 1 : 0) + (conditions.length > 0 ? 0 : active.length),
      succeeded,
      failed,
      ready: ready.length,
      terminating: pods.filter((p) => p.metadata?.deletionTimestamp !== undefined && !terminal(p)).length,
      uncountedTerminatedPods: {},
    };
    if (conditions.length > 0) {
      status.conditions = [...(job.status?.conditions ?? []), ...conditions];
      status.active = 0;
    }
    if (completionTime) {
      status.completionTime = completionTime as unknown as Date;
    }
    if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) {
      this.d.jobs.update(namespace, name, (draft) => {
        draft.status = status as unknown as V1Job['status'];
      });
    }
  }

  private createPod(job: V1Job): void {
    const namespace = job.metadata?.namespace ?? '';
    const template = clone(job.spec?.template ?? {});
    let podName: string;
    do {
      podName = generateName(`${job.metadata?.name ?? 'job'}-`);
    } while (this.d.pods.get(namespace, podName));
    const body: V1Pod = {
      metadata: {
        ...(template.metadata ?? {}),
        generateName: `${job.metadata?.name ?? ''}-`,
        ownerReferences: [controllerRef('Job', job)],
      },
      spec: template.spec,
    };
    const stored = this.d.pods.add(admitPod(body, namespace, podName, new Date()));
    const jobUid = job.metadata?.uid ?? '';
    this.created.set(jobUid, [...(this.created.get(jobUid) ?? []), stored.metadata?.uid ?? '']);
    this.d.kubelet.admit(stored);
  }
}
