import type { JobPhase } from './phases.ts';
import type { ConcurrencyPolicy, Job, JobFailure, JobSource, ParamValues } from './types.ts';

/**
 * The Loki stream the audit events land in. Fluent Bit (monitoring/fluent-bit-loki-values.yaml, and the compose
 * stack's fluent-bit.conf) sets these two labels, and the History view and the "FlowKube / Audit" dashboard query
 * them. Job ids are never labels: they stay in the line, so the stream count does not grow with the jobs.
 */
export const AUDIT_STREAM_LABELS = { app: 'flowkube-proxy', stream: 'audit' } as const;
export const AUDIT_STREAM_SELECTOR = `{app="${AUDIT_STREAM_LABELS.app}", stream="${AUDIT_STREAM_LABELS.stream}"}`;

/** Job transitions first, from the Pod watch and the requests; then the schedule changes, from the requests. */
export const AUDIT_EVENTS = [
  'launched',
  'rejected',
  'started',
  'finished',
  'cancelled',
  'purged',
  'schedule_created',
  'schedule_updated',
  'schedule_deleted',
  'schedule_run_now',
] as const;
export type AuditKind = (typeof AUDIT_EVENTS)[number];

/**
 * One line of the audit stream: `"audit": true` tells it from the access log. Every replica sees the same watch and
 * writes the same events again after a restart, so `eventId` (job id + transition) is what readers dedupe on, and
 * an event's fields come from the job itself, never from the replica, so its duplicates are identical.
 */
export interface AuditEvent {
  audit: true;
  eventId: string;
  event: AuditKind;
  /** When the transition happened: the job's createdAt, startedAt, finishedAt or cancelledAt; now for the others. */
  time: string;
  jobId?: string;
  template?: string;
  params?: ParamValues;
  launchedBy?: string;
  /**
   * The launcher panel a job was launched from (a rejected launch: the one it named), so the history can say "from
   * dashboard X, panel Y" after the Pod is gone. Absent for jobs launched elsewhere.
   */
  source?: JobSource;
  /** The schedule a job ran for (null: launched by hand); for a schedule event, the schedule it changed. */
  schedule?: string | null;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  phase?: JobPhase;
  exitCode?: number;
  durationSeconds?: number;
  failure?: JobFailure;
  /** Who cancelled, purged, or changed a schedule. */
  by?: string;
  /** Why a launch was refused (the launch_rejected reason), its status and message. */
  reason?: string;
  status?: number;
  message?: string;
  /** A schedule's definition after the change (absent on schedule_run_now). */
  cron?: string;
  timeZone?: string;
  suspend?: boolean;
  concurrencyPolicy?: ConcurrencyPolicy;
  /** schedule_updated: the fields the request set. */
  changed?: string[];
}

/**
 * The part of a job's event that comes from the job: its id, template, params, who, from which panel and when. Every
 * job event carries them, so whichever of a job's events a history query still finds names them. Only what was already
 * fixed at this transition goes in, so a replica that sees the transition later writes the same line. The proxy
 * writes its events with it, and the plugin's test fixtures build theirs with it, so both have one shape.
 */
export function jobAuditEvent(event: AuditKind, job: Job, time: string): AuditEvent {
  const e: AuditEvent = {
    audit: true,
    eventId: `${job.id}:${event}`,
    event,
    time,
    jobId: job.id,
    template: job.template,
    params: job.params,
    launchedBy: job.launchedBy,
    schedule: job.schedule,
    createdAt: job.createdAt,
  };
  if (job.source) {
    e.source = job.source;
  }
  if (job.startedAt && event !== 'launched') {
    e.startedAt = job.startedAt;
  }
  if (job.finishedAt && (event === 'finished' || event === 'purged')) {
    e.finishedAt = job.finishedAt;
  }
  return e;
}

const KINDS: ReadonlySet<string> = new Set(AUDIT_EVENTS);

/**
 * A Loki line as an audit event, or undefined for anything else (an access-log line, a torn or foreign line), so a
 * reader can take a whole stream and skip what is not an event.
 */
export function parseAuditLine(line: string): AuditEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const e = value as Partial<AuditEvent>;
  const ok = e.audit === true && typeof e.eventId === 'string' && typeof e.time === 'string' && KINDS.has(e.event!);
  return ok ? (e as AuditEvent) : undefined;
}
