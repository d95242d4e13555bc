import { setTimeout as sleep } from 'node:timers/promises';
import { PatchStrategy, setHeaderOptions, type V1CronJob } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { validateParams } from '../catalog/params.ts';
import type { CatalogTemplate } from '../catalog/schema.ts';
import { HttpError, notReady, retryLater } from '../http-error.ts';
import { describeKubeError } from '../kube/errors.ts';
import { toHttpError } from '../kube/http-error.ts';
import { ANN_REQUEST_HASH } from '../labels.ts';
import type {
  ConcurrencyPolicy,
  CreateScheduleRequest,
  FieldError,
  Job,
  ParamValues,
  Schedule,
  UpdateScheduleRequest,
} from '../schemas/index.ts';
import { describeFields } from '../validation/ajv.ts';
import { checkSchedule } from './check-schedule.ts';
import { scheduleName, scheduleRequestHash } from './names.ts';
import { renderCronJob, SCHEDULE_DEFAULTS } from './render-cronjob.ts';
import { manualJob } from './run-now.ts';
import { scheduleFromCronJob } from './schedule-view.ts';

/** How long run-now waits for the Job controller's Pod, whose name is the job id it answers with. */
export const RUN_POD_WAIT_MS = 10_000;
const DEFAULT_TIME_ZONE = 'UTC';
const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function badRequest(fields: FieldError[]): HttpError {
  return new HttpError(400, 'bad_request', describeFields(fields), { details: { fields } });
}

export const scheduleNotFound = (id: string): HttpError =>
  new HttpError(404, 'not_found', `schedule "${id}" not found (FlowKube manages no CronJob of that name)`);

function keyConflict(): HttpError {
  return new HttpError(409, 'conflict', 'this Idempotency-Key was already used for a different schedule request', {
    details: { fields: [{ field: 'Idempotency-Key', message: 'was already used for a different request' }] },
  });
}

interface Validated {
  template: CatalogTemplate;
  params: ParamValues;
  schedule: string;
  timeZone: string;
  suspend: boolean;
  concurrencyPolicy: ConcurrencyPolicy;
}

/**
 * Schedules over the Kubernetes API and the CronJob cache: every refusal names its field before anything is
 * created, names derive from the Idempotency-Key, and changes go to Kubernetes as merge patches.
 */
export class ScheduleService {
  private readonly app: FastifyInstance;
  private readonly maxSchedules: number;
  private readonly retentionSeconds: number;

  constructor(app: FastifyInstance, options: { maxSchedules: number; retentionSeconds: number }) {
    this.app = app;
    this.maxSchedules = options.maxSchedules;
    this.retentionSeconds = options.retentionSeconds;
  }

  requireSynced(): void {
    if (!this.app.scheduleCacheState.synced || !this.app.cacheState.synced) {
      throw notReady('schedule');
    }
  }

  /** Every schedule, from the caches only. */
  list(now = new Date()): Schedule[] {
    const runs = this.runsBySchedule();
    return this.app.schedules.all().map((c) => scheduleFromCronJob(c, runs.get(c.metadata?.name ?? '') ?? [], now));
  }

  view(cronJob: V1CronJob, now = new Date()): Schedule {
    const name = cronJob.metadata?.name ?? '';
    return scheduleFromCronJob(cronJob, this.runsBySchedule(name).get(name) ?? [], now);
  }

  get(id: string): V1CronJob {
    const cronJob = this.app.schedules.get(id);
    if (!cronJob) {
      throw scheduleNotFound(id);
    }
    return cronJob;
  }

  private runsBySchedule(only?: string): Map<string, Job[]> {
    const out = new Map<string, Job[]>();
    // newest first, as the job store keeps them; a Job is built only for a schedule's runs
    for (const r of this.app.jobs.newestFirst()) {
      if (r.schedule !== null && (only === undefined || r.schedule === only)) {
        const list = out.get(r.schedule) ?? [];
        list.push(r.job);
        out.set(r.schedule, list);
      }
    }
    return out;
  }

  private validate(input: {
    templateId: string;
    params: ParamValues | undefined;
    schedule: string;
    timeZone: string;
    suspend: boolean;
    concurrencyPolicy: ConcurrencyPolicy;
  }): Validated {
    const template = this.app.catalog.byId.get(input.templateId);
    if (!template) {
      const known = this.app.catalog.templates.map((t) => t.id).join(', ');
      throw badRequest([{ field: 'template', message: `is not a known template (known: ${known})` }]);
    }
    const fields: FieldError[] = [];
    const params = validateParams(template, input.params);
    if (!params.ok) {
      fields.push(...params.fields);
    }
    const check = checkSchedule(input.schedule, input.timeZone, new Date());
    if (!check.ok) {
      fields.push(...check.fields);
    }
    if (fields.length > 0 || !params.ok) {
      throw badRequest(fields);
    }
    return { ...input, template, params: params.values };
  }

  private render(v: Validated, name: string, createdBy: string): V1CronJob {
    return renderCronJob({
      template: v.template,
      params: v.params,
      name,
      namespace: this.app.kube.namespace,
      createdBy,
      schedule: v.schedule,
      timeZone: v.timeZone,
      suspend: v.suspend,
      concurrencyPolicy: v.concurrencyPolicy,
      retentionSeconds: this.retentionSeconds,
    });
  }

  async create(
    body: CreateScheduleRequest,
    createdBy: string,
    key: string | undefined
  ): Promise<{ schedule: Schedule; created: boolean }> {
    const v = this.validate({
      templateId: body.template,
      params: body.params,
      schedule: body.schedule,
      timeZone: body.timeZone ?? DEFAULT_TIME_ZONE,
      suspend: body.suspend ?? false,
      concurrencyPolicy: body.concurrencyPolicy ?? SCHEDULE_DEFAULTS.concurrencyPolicy,
    });
    this.requireSynced();
    const name = scheduleName(v.template.id, key);
    const hash = scheduleRequestHash(v);
    const repeat = (found: V1CronJob) => {
      if (found.metadata?.annotations?.[ANN_REQUEST_HASH] !== hash) {
        throw keyConflict();
      }
      return { schedule: this.view(found), created: false };
    };
    const known = key === undefined ? undefined : this.app.schedules.get(name);
    if (known) {
      return repeat(known);
    }
    if (this.app.schedules.size >= this.maxSchedules) {
      throw retryLater(
        429,
        'limit_exceeded',
        `FLOWKUBE_MAX_SCHEDULES=${this.maxSchedules} schedules exist already; delete one first`,
        60,
        { limit: 'FLOWKUBE_MAX_SCHEDULES' }
      );
    }
    const cronJob = this.render(v, name, createdBy);
    cronJob.metadata!.annotations![ANN_REQUEST_HASH] = hash;
    const { kube } = this.app;
    try {
      const created = await kube.call('create', () =>
        kube.batch.createNamespacedCronJob({ namespace: kube.namespace, body: cronJob })
      );
      this.app.schedules.put(created);
      return { schedule: this.view(created), created: true };
    } catch (err) {
      if (describeKubeError(err).status === 409 && key !== undefined) {
        // another replica (or an earlier try whose answer was lost) made it under the key's name
        const found = await kube
          .call('get', () => kube.batch.readNamespacedCronJob({ name, namespace: kube.namespace }))
          .catch((e: unknown) => {
            throw toHttpError(e, { verb: 'get', resource: 'cronjobs', namespace: kube.namespace });
          });
        return repeat(found);
      }
      throw toHttpError(err, { verb: 'create', resource: 'cronjobs', namespace: kube.namespace });
    }
  }

  async update(id: string, body: UpdateScheduleRequest): Promise<Schedule> {
    const current = this.get(id);
    const current_ = this.view(current);
    if (body.template !== undefined && body.template !== current_.template) {
      throw badRequest([
        {
          field: 'template',
          message: `cannot change (this schedule runs "${current_.template}"); create a new schedule`,
        },
      ]);
    }
    const v = this.validate({
      templateId: current_.template,
      params: body.params ?? current_.params,
      schedule: body.schedule ?? current_.schedule,
      timeZone: body.timeZone ?? current_.timeZone,
      suspend: body.suspend ?? current_.suspend,
      concurrencyPolicy: body.concurrencyPolicy ?? current_.concurrencyPolicy,
    });
    const rendered = this.render(v, id, current_.createdBy);
    const { kube } = this.app;
    // the whole spec as FlowKube renders it: lists (containers, env) are replaced by a merge patch, maps merged
    const patch = { metadata: { annotations: rendered.metadata?.annotations }, spec: rendered.spec };
    try {
      const updated = await kube.call('patch', () =>
        kube.batch.patchNamespacedCronJob({ name: id, namespace: kube.namespace, body: patch }, MERGE_PATCH)
      );
      this.app.schedules.put(updated);
      return this.view(updated);
    } catch (err) {
      if (describeKubeError(err).status === 404) {
        throw scheduleNotFound(id);
      }
      throw toHttpError(err, { verb: 'patch', resource: 'cronjobs', namespace: kube.namespace });
    }
  }

  /** No further runs; runs in progress finish (Orphan keeps their Jobs), and their TTL cleans them up. */
  async delete(id: string): Promise<Schedule> {
    const last = this.view(this.get(id));
    const { kube } = this.app;
    try {
      await kube.call('delete', () =>
        kube.batch.deleteNamespacedCronJob({ name: id, namespace: kube.namespace, propagationPolicy: 'Orphan' })
      );
    } catch (err) {
      if (describeKubeError(err).status !== 404) {
        throw toHttpError(err, { verb: 'delete', resource: 'cronjobs', namespace: kube.namespace });
      }
    }
    this.app.schedules.remove(id);
    return last;
  }

  /** One run now, made as kubectl create job --from=cronjob does; answers with its Pod as a job. */
  async runNow(id: string, signal?: AbortSignal): Promise<Job> {
    const cronJob = this.get(id);
    const { kube, jobs } = this.app;
    const body = manualJob(cronJob);
    const jobName = body.metadata?.name ?? '';
    try {
      await kube.call('create', () => kube.batch.createNamespacedJob({ namespace: kube.namespace, body }));
    } catch (err) {
      throw toHttpError(err, { verb: 'create', resource: 'jobs', namespace: kube.namespace });
    }
    const deadline = Date.now() + RUN_POD_WAIT_MS;
    for (;;) {
      for (const jobId of jobs.ids()) {
        const record = jobs.get(jobId);
        if (record?.ownerJob === jobName) {
          return record.job;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) {
        throw retryLater(
          503,
          'kube_unavailable',
          `Job "${jobName}" was created but its Pod did not appear within ${RUN_POD_WAIT_MS / 1000} s; it will show in the job list once the Job controller makes it`,
          5
        );
      }
      await Promise.race([jobs.waitForChange(left, signal), sleep(Math.min(left, 250))]);
    }
  }
}
