// The CronJob controller (kubernetes/kubernetes pkg/controller/cronjob/cronjob_controllerv2.go and utils.go): at
// each scheduled time (in spec.timeZone) it creates the Job `<cronjob>-<minutes since the epoch>` from jobTemplate,
// unless the CronJob is suspended, the time is older than startingDeadlineSeconds, or concurrencyPolicy says no
// (Forbid skips while a Job it owns is active, Replace deletes the active ones first, Allow runs side by side). It
// keeps status.active, lastScheduleTime and lastSuccessfulTime, and deletes finished Jobs beyond the history
// limits. Time is the FakeClock's, so tests fire schedules by moving it.
import { Cron } from 'croner';
import type { V1CronJob, V1Job, V1ObjectReference } from '@kubernetes/client-node';
import { cronerPattern, parseCron } from '../../pkg-backend-proxy/src/schedules/cron.ts';
import { isFinished, jobFromCronJob } from './batch-objects.ts';
import type { FakeClock } from './clock.ts';
import { coalesced } from './coalesce.ts';
import type { Propagation } from './garbage-collector.ts';
import { controllerUid } from './job-controller.ts';
import { timestamp } from './objects.ts';
import type { Status } from './status.ts';
import type { ObjectStore } from './store.ts';

export interface CronJobControllerDeps {
  cronJobs: ObjectStore<V1CronJob>;
  jobs: ObjectStore<V1Job>;
  clock: FakeClock;
  createJob(namespace: string, body: Record<string, unknown>): V1Job | Status;
  deleteJob(namespace: string, name: string, propagation: Propagation): boolean;
}

/** The controller gives up listing missed times beyond this many (and then only starts the latest). */
const MAX_MISSED = 100;

const date = (value: unknown): Date | undefined =>
  typeof value === 'string' || value instanceof Date ? new Date(value) : undefined;

function schedule(cronJob: V1CronJob): Cron | undefined {
  try {
    const pattern = cronerPattern(parseCron(cronJob.spec?.schedule ?? ''));
    return new Cron(pattern, { timezone: cronJob.spec?.timeZone ?? 'UTC', paused: true, mode: '5-part' });
  } catch {
    return undefined;
  }
}

/** The latest scheduled time in (earliest, now], if any (mostRecentScheduleTime in utils.go). */
export function mostRecentScheduleTime(cron: Cron, earliest: Date, now: Date): Date | undefined {
  let latest: Date | undefined;
  let next = cron.nextRun(earliest);
  for (let n = 0; next && next.getTime() <= now.getTime(); n++) {
    latest = next;
    if (n > MAX_MISSED) {
      // "too many missed start times": jump to the last one before now
      const before = cron.previousRuns(1, now)[0];
      return before ?? latest;
    }
    next = cron.nextRun(next);
  }
  return latest;
}

export class CronJobController {
  private readonly d: CronJobControllerDeps;
  constructor(deps: CronJobControllerDeps) {
    this.d = deps;
    const soon = coalesced(() => this.syncAll());
    deps.cronJobs.subscribe(soon);
    deps.jobs.subscribe(soon);
  }

  /** The next time `cronJob` would fire after now, if it ever does. */
  nextScheduleTime(namespace: string, name: string): Date | undefined {
    const cronJob = this.d.cronJobs.get(namespace, name);
    return cronJob ? (schedule(cronJob)?.nextRun(this.d.clock.now()) ?? undefined) : undefined;
  }

  syncAll(): void {
    for (const cronJob of this.d.cronJobs.all()) {
      this.sync(cronJob);
    }
  }

  private sync(cronJob: V1CronJob): void {
    const meta = cronJob.metadata ?? {};
    const namespace = meta.namespace ?? '';
    const name = meta.name ?? '';
    if (meta.deletionTimestamp !== undefined) {
      return;
    }
    const now = this.d.clock.now();
    const owned = this.d.jobs.list(namespace).filter((j) => controllerUid(j.metadata) === meta.uid);
    const active = owned.filter((j) => !isFinished(j) && j.metadata?.deletionTimestamp === undefined);
    let lastSuccessful = date(cronJob.status?.lastSuccessfulTime);
    for (const job of owned) {
      const done = date(job.status?.completionTime);
      if (isFinished(job) === 'Complete' && done && (!lastSuccessful || done > lastSuccessful)) {
        lastSuccessful = done;
      }
    }
    this.cleanHistory(cronJob, owned);

    let lastSchedule = date(cronJob.status?.lastScheduleTime);
    const cron = cronJob.spec?.suspend ? undefined : schedule(cronJob);
    if (cron) {
      let earliest = lastSchedule ?? date(meta.creationTimestamp) ?? now;
      const sds = cronJob.spec?.startingDeadlineSeconds;
      if (sds !== undefined && sds !== null) {
        const floor = new Date(now.getTime() - sds * 1000);
        earliest = floor > earliest ? floor : earliest;
      }
      const due = mostRecentScheduleTime(cron, earliest, now);
      if (due) {
        const policy = cronJob.spec?.concurrencyPolicy ?? 'Allow';
        if (policy === 'Forbid' && active.length > 0) {
          // the time is not consumed: once the active Job ends, a still-recent time may run (as the real one does)
        } else {
          if (policy === 'Replace') {
            for (const job of active) {
              this.d.deleteJob(namespace, job.metadata?.name ?? '', 'Background');
            }
            active.length = 0;
          }
          const created = this.d.createJob(namespace, jobFromCronJob(cronJob, due));
          const job = 'kind' in created && created.kind === 'Status' ? undefined : (created as V1Job);
          if (job) {
            active.push(job);
          }
          lastSchedule = due;
        }
      }
    }
    const status = {
      ...(cronJob.status ?? {}),
      active: active.length > 0 ? active.map(reference) : undefined,
      lastScheduleTime: lastSchedule ? (timestamp(lastSchedule) as unknown as Date) : undefined,
      lastSuccessfulTime: lastSuccessful ? (timestamp(lastSuccessful) as unknown as Date) : undefined,
    };
    const clean = JSON.parse(JSON.stringify(status)) as V1CronJob['status'];
    if (JSON.stringify(clean) !== JSON.stringify(cronJob.status ?? {})) {
      this.d.cronJobs.update(namespace, name, (draft) => {
        draft.status = clean;
      });
    }
  }

  /** Keeps the newest successfulJobsHistoryLimit Complete and failedJobsHistoryLimit Failed Jobs. */
  private cleanHistory(cronJob: V1CronJob, owned: V1Job[]): void {
    const byStart = (a: V1Job, b: V1Job) =>
      String(a.status?.startTime ?? a.metadata?.creationTimestamp).localeCompare(
        String(b.status?.startTime ?? b.metadata?.creationTimestamp)
      );
    const limits: Array<['Complete' | 'Failed', number]> = [
      ['Complete', cronJob.spec?.successfulJobsHistoryLimit ?? 3],
      ['Failed', cronJob.spec?.failedJobsHistoryLimit ?? 1],
    ];
    for (const [state, limit] of limits) {
      const finished = owned
        .filter((j) => isFinished(j) === state && j.metadata?.deletionTimestamp === undefined)
        .sort(byStart);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        this.d.deleteJob(job.metadata?.namespace ?? '', job.metadata?.name ?? '', 'Background');
      }
    }
  }
}

function reference(job: V1Job): V1ObjectReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespace: job.metadata?.namespace,
    name: job.metadata?.name,
    uid: job.metadata?.uid,
    resourceVersion: job.metadata?.resourceVersion,
  };
}
