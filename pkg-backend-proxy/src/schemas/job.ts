import Type, { type Static } from 'typebox';
import { JOB_PHASES, PHASE_FILTERS } from '../contract/phases.ts';
import { MAX_SOURCE_TITLE } from '../contract/source.ts';
import { DashboardUid, JobId, PanelId, TemplateId } from './common.ts';

// The list lives in the contract, which the browser imports without TypeBox.
export const JobPhase = Type.Enum(JOB_PHASES);
export type JobPhase = Static<typeof JobPhase>;

export const ParamValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
export const ParamValues = Type.Record(Type.String(), ParamValue);
export type ParamValues = Static<typeof ParamValues>;

/** Why a job did not succeed, in the order a person wants it (src/jobs/failure.ts). */
export const JobFailure = Type.Object({
  /** Kubernetes' reason (OOMKilled, DeadlineExceeded, Evicted, ImagePullBackOff, …), Cancelled, or Error. */
  reason: Type.String(),
  /** Kubernetes' message, else what the worker wrote to its termination log, else its last ERROR line. */
  message: Type.String(),
  exitCode: Type.Optional(Type.Integer()),
  /** The last ERROR-level log lines, as written (the list shows those in the Pod status; the detail reads the log). */
  lastLogLines: Type.Array(Type.String()),
});
export type JobFailure = Static<typeof JobFailure>;

/**
 * The launcher panel a job was launched from: its dashboard (UID) and panel id, and a title to show for them. Kept
 * on the Pod as annotations (flowkube.io/source-*), so "the jobs of this panel" needs no store of its own.
 */
export const JobSource = Type.Object(
  {
    dashboardUid: DashboardUid,
    panelId: PanelId,
    /** For display only (the dashboard's and panel's titles); never used to find jobs. */
    title: Type.Optional(Type.String({ maxLength: MAX_SOURCE_TITLE })),
  },
  { additionalProperties: false }
);
export type JobSource = Static<typeof JobSource>;

export const Job = Type.Object({
  id: JobId,
  template: Type.String(),
  params: ParamValues,
  phase: JobPhase,
  /** What a person needs: ImagePullBackOff, OOMKilled, DeadlineExceeded, Evicted, Cancelled … */
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  exitCode: Type.Optional(Type.Integer()),
  launchedBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Optional(Type.String({ format: 'date-time' })),
  finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
  durationSeconds: Type.Optional(Type.Number()),
  /** Set once a cancel (or retention) has asked Kubernetes to delete the Pod. */
  deletedAt: Type.Optional(Type.String({ format: 'date-time' })),
  /** Who cancelled the job (flowkube.io/cancelled-by) and when; its phase becomes Cancelled once the Pod stops. */
  cancelledBy: Type.Optional(Type.String()),
  cancelledAt: Type.Optional(Type.String({ format: 'date-time' })),
  /** On every job that failed, was cancelled or is stuck (an image that cannot be pulled, a missing Secret). */
  failure: Type.Optional(JobFailure),
  /** Where and how it runs, for the detail page: the Pod is named after the job (`id`). */
  namespace: Type.Optional(Type.String()),
  /** The node the Pod was scheduled on; absent while unscheduled. */
  node: Type.Optional(Type.String()),
  image: Type.Optional(Type.String()),
  /** The worker container's requests and limits, as Kubernetes quantities (`500m`, `128Mi`). */
  resources: Type.Optional(
    Type.Object({
      requests: Type.Optional(Type.Record(Type.String(), Type.String())),
      limits: Type.Optional(Type.Record(Type.String(), Type.String())),
    })
  ),
  /** The schedule (id) whose run this is; null for a launch by hand or by an API caller. */
  schedule: Type.Union([Type.String(), Type.Null()]),
  /** The launcher panel it was launched from; null for a launch from the app's pages, an API caller or a schedule. */
  source: Type.Union([JobSource, Type.Null()]),
});
export type Job = Static<typeof Job>;

export const JobResponse = Type.Object({ job: Job });
export type JobResponse = Static<typeof JobResponse>;

export const JobList = Type.Object({
  items: Type.Array(Job),
  /** Pass back as `continue` (with the same sort, order and filter) for the next page; absent on the last one. */
  continue: Type.Optional(Type.String()),
  /** Jobs per phase for the filter without its `phase`: what the filter bar shows beside each phase. */
  counts: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }))),
  /** Jobs active now for the filter without its `phase`, as `active` counts them: the count beside Active. */
  activeCount: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * Every template and every schedule with a job in the cache, whatever the filter, sorted: the filter bar's
   * choices, so a browser needs no copy of every job to offer them.
   */
  templates: Type.Optional(Type.Array(Type.String())),
  schedules: Type.Optional(Type.Array(Type.String())),
  /**
   * Jobs active now (Pending or Running, not asked to stop) per template, whatever the filter: the count a
   * template's `maxConcurrent` is held to. Templates with none are left out.
   */
  active: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }))),
});
export type JobList = Static<typeof JobList>;

export const LaunchRequest = Type.Object(
  { template: TemplateId, params: Type.Optional(ParamValues), source: Type.Optional(JobSource) },
  { additionalProperties: false }
);
export type LaunchRequest = Static<typeof LaunchRequest>;

/** Idempotency-Key: what clients may send so a retried or double-clicked launch makes one Pod. */
export const IdempotencyKey = Type.String({ pattern: '^[A-Za-z0-9._:-]{8,128}$' });

export const JobListQuery = Type.Object(
  {
    template: Type.Optional(TemplateId),
    /** One phase, or `active`: the jobs Pending or Running and not asked to stop, as `active` counts them. */
    phase: Type.Optional(Type.Enum(PHASE_FILTERS)),
    /** Only the runs of this schedule (its id), as the Schedules page links to them. */
    schedule: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    sort: Type.Optional(Type.Enum(['created', 'finished', 'duration', 'template', 'phase'], { default: 'created' })),
    order: Type.Optional(Type.Enum(['asc', 'desc'], { default: 'desc' })),
    /** The `continue` of the previous page. */
    continue: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    /** Case-insensitive text in the id, template, launchedBy, reason or a parameter value. */
    q: Type.Optional(Type.String({ maxLength: 200 })),
    /** Only jobs launched from a launcher panel on this dashboard (its UID)… */
    dashboard: Type.Optional(DashboardUid),
    /** …and, with `dashboard`, from this panel of it. */
    panel: Type.Optional(PanelId),
  },
  { additionalProperties: false }
);
export type JobListQuery = Static<typeof JobListQuery>;

/** DELETE /jobs/:id cancels; with purge=true it deletes a finished job's record now instead of at retention. */
export const DeleteJobQuery = Type.Object(
  { purge: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false }
);

export const LogQuery = Type.Object(
  {
    tailLines: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    follow: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false }
);
export type LogQuery = Static<typeof LogQuery>;

export const ChangesQuery = Type.Object(
  {
    /**
     * The `cursor` of the previous answer; `now` for a cursor alone (no items), where a client that reads what it
     * shows from GET /jobs starts watching; absent for every job and a cursor (a full re-list, 47 MB at 100,000 jobs).
     */
    since: Type.Optional(Type.String({ maxLength: 64 })),
    // Grafana's app routes have no response timeout (grafana/grafana pkg/api/plugin_proxy.go). The poll stays short
    // because load balancers and reverse proxies in front of Grafana often close idle requests at 30-60 s.
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 25, default: 20 })),
    /** The catalogRevision the caller has: when the catalog has moved on, the answer comes at once. */
    catalogRevision: Type.Optional(Type.Integer({ minimum: 0 })),
    /** The schedulesRevision the caller has: schedules changed after it are named in `schedulesChanged`. */
    schedulesSince: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false }
);
export type ChangesQuery = Static<typeof ChangesQuery>;

export const ChangesResponse = Type.Object({
  /** Pass back as `since` to get what changed after this answer. */
  cursor: Type.String(),
  /** Every job whose state changed after `since`, in its latest state; empty for `since=now`. */
  items: Type.Array(Job),
  /** Ids of jobs whose Pod no longer exists (cancelled and gone, or removed by retention). */
  removed: Type.Array(JobId),
  /** Moves whenever the catalog changes (GET /api/v1/catalog's revision): then re-read /templates. */
  catalogRevision: Type.Optional(Type.Integer()),
  /** Moves whenever a schedule is created, changed or deleted; pass it back as `schedulesSince`. */
  schedulesRevision: Type.Optional(Type.Integer()),
  /** With `schedulesSince`: ids of the schedules created, changed or deleted after it (re-read GET /schedules). */
  schedulesChanged: Type.Optional(Type.Array(Type.String())),
});
export type ChangesResponse = Static<typeof ChangesResponse>;
