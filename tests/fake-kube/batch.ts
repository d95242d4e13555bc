// batch/v1 CronJobs and Jobs: the generic resource handler (resource.ts) with their own defaults and validation
// (batch-objects.ts), Status bodies with the group in them (`cronjobs.batch "x" not found`), and DELETE through the
// garbage collector's propagation policies, as kube-apiserver's registry answers them
// (pkg/registry/batch/cronjob/storage/storage.go, pkg/registry/batch/job/storage/storage.go: batch/v1 Jobs orphan
// their Pods unless told otherwise, and say so in a Warning header). The controllers behind them live in
// cronjob-controller.ts, job-controller.ts, ttl-controller.ts and garbage-collector.ts.
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { admitCronJob, admitJob, cronJobErrors, jobErrors } from './batch-objects.ts';
import type { FakeClock } from './clock.ts';
import { CronJobController } from './cronjob-controller.ts';
import { GarbageCollector, type Propagation } from './garbage-collector.ts';
import { isObject } from './http.ts';
import { JobController } from './job-controller.ts';
import type { Kubelet } from './kubelet.ts';
import { ResourceApi, type ApiContext, type Json, type ResourceKind } from './resource.ts';
import type { Verb } from './routes.ts';
import { invalid, type Status } from './status.ts';
import type { ObjectStore, PodStore, StoredObject } from './store.ts';
import { TtlController } from './ttl-controller.ts';

export interface BatchContext extends ApiContext {
  pods: PodStore;
  kubelet: Kubelet;
  clock: FakeClock;
}

const GROUP = 'batch';
const VERBS: readonly Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'watch'];
const JOB_ORPHAN_WARNING =
  '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"';

/** A CronJob or Job without a spec object is refused before defaults, which would need one. */
const specRequired =
  (kind: string) =>
  (body: Json): Status | undefined => {
    if (isObject(body.spec)) {
      return undefined;
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    const cause = { reason: 'FieldValueRequired', message: 'Required value', field: 'spec' };
    return invalid(kind, String(meta.name ?? ''), [cause], GROUP);
  };

export class BatchApi {
  readonly cronJobApi: ResourceApi<V1CronJob>;
  readonly jobApi: ResourceApi<V1Job>;
  readonly cronJobs: ObjectStore<V1CronJob>;
  readonly jobs: ObjectStore<V1Job>;
  readonly gc: GarbageCollector;
  readonly cronJobController: CronJobController;
  readonly jobController: JobController;
  readonly ttlController: TtlController;
  private readonly ticker: NodeJS.Timeout;
  private readonly stopClock: () => void;

  constructor(ctx: BatchContext) {
    this.cronJobApi = new ResourceApi<V1CronJob>(ctx, {
      group: GROUP,
      resource: 'cronjobs',
      kind: 'CronJob',
      verbs: VERBS,
      shortNames: ['cj'],
      decode: specRequired('CronJob'),
      admit: (body, namespace, name) => admitCronJob(body, namespace, name, ctx.clock.now()),
      createErrors: (cronJob) => cronJobErrors(cronJob as unknown as Json, true),
      updateErrors: (_, next) => cronJobErrors(next as unknown as Json, false),
      generation: true,
      delete: (cronJob, request) => ({
        remaining: this.collect('cronjobs', cronJob, request.propagationPolicy ?? 'Background'),
      }),
    });
    const jobKind: ResourceKind<V1Job> = {
      group: GROUP,
      resource: 'jobs',
      kind: 'Job',
      verbs: VERBS,
      decode: specRequired('Job'),
      admit: (body, namespace, name) => admitJob(body, namespace, name, ctx.clock.now()),
      createErrors: (job) => jobErrors(job as unknown as Json),
      // ValidateJobUpdate (an immutable template and selector) is not modelled
      updateErrors: () => [],
      generation: true,
      delete: (job, request) => {
        const remaining = this.collect('jobs', job, request.propagationPolicy ?? 'Orphan');
        return request.propagationPolicy === undefined
          ? { remaining, headers: { Warning: JOB_ORPHAN_WARNING } }
          : { remaining };
      },
    };
    this.jobApi = new ResourceApi<V1Job>(ctx, jobKind);
    this.cronJobs = this.cronJobApi.store;
    this.jobs = this.jobApi.store;
    this.gc = new GarbageCollector({ cronJobs: this.cronJobs, jobs: this.jobs, pods: ctx.pods, kubelet: ctx.kubelet });
    const deleteJob = (namespace: string, name: string, p: Propagation) => this.gc.delete('jobs', namespace, name, p);
    this.jobController = new JobController({
      jobs: this.jobs,
      pods: ctx.pods,
      kubelet: ctx.kubelet,
      clock: ctx.clock,
      deletePod: (pod) => this.gc.deletePod(pod),
    });
    this.cronJobController = new CronJobController({
      cronJobs: this.cronJobs,
      jobs: this.jobs,
      clock: ctx.clock,
      createJob: (namespace, body) => this.jobApi.create(namespace, body, false),
      deleteJob,
    });
    this.ttlController = new TtlController({ jobs: this.jobs, clock: ctx.clock, deleteJob });
    const syncAll = () => {
      this.cronJobController.syncAll();
      this.jobController.resyncAll();
      this.ttlController.syncAll();
    };
    this.stopClock = ctx.clock.onAdvance(syncAll);
    // the real controllers resync on their own too; one tick a second keeps real-time schedules firing
    this.ticker = setInterval(syncAll, 1000).unref();
  }

  /** Both resources, for the server's dispatch. */
  apis(): Array<ResourceApi<StoredObject>> {
    return [this.cronJobApi, this.jobApi] as Array<ResourceApi<StoredObject>>;
  }

  stop(): void {
    clearInterval(this.ticker);
    this.stopClock();
  }

  /** Deletes through the garbage collector; a Foreground delete leaves the owner, marked, until its dependents go. */
  private collect<T extends V1CronJob | V1Job>(resource: 'cronjobs' | 'jobs', owner: T, p: Propagation): T | undefined {
    const namespace = owner.metadata?.namespace ?? '';
    const name = owner.metadata?.name ?? '';
    this.gc.delete(resource, namespace, name, p);
    return (resource === 'cronjobs' ? this.cronJobs : this.jobs).get(namespace, name) as T | undefined;
  }
}
