import { isJobPhase, JOB_PHASES } from '@flowkube/backend-proxy/contract';
import type { AuditEvent, Job, JobPhase, ParamValues } from '../api/types';
import { failureTitle } from './jobDisplay';

/** How a job in the history ended, or where it stood when last recorded; `Rejected` is a launch the proxy refused. */
export type HistoryOutcome = JobPhase | 'Rejected';

/** One row of the history: a job folded from its audit events, or one refused launch. */
export interface HistoryEntry {
  /** The job id, or the rejected event's id (a refused launch made no job). */
  key: string;
  /** Absent for a refused launch. */
  job?: Job;
  outcome: HistoryOutcome;
  template: string;
  launchedBy: string;
  params: ParamValues;
  /** When it was launched (or refused). */
  time: string;
  rejection?: { reason?: string; status?: number; message?: string };
  purged?: { at: string; by?: string };
  /** Its events, each once, oldest first. */
  events: AuditEvent[];
  /** The proxy still has the job: `job` is the live one, not the recorded one. */
  live: boolean;
}

// The order transitions happen in, for events that carry the same time (a job cancelled before it started).
const ORDER: Record<string, number> = { launched: 0, rejected: 0, started: 1, cancelled: 2, finished: 3, purged: 4 };

/**
 * Each event once (every replica writes every transition, and again after a restart), oldest first. Duplicates are
 * identical by construction (audit.ts), so which copy is kept does not matter.
 */
export function dedupeEvents(events: AuditEvent[]): AuditEvent[] {
  const byId = new Map<string, AuditEvent>();
  events.forEach((e) => byId.has(e.eventId) || byId.set(e.eventId, e));
  return [...byId.values()].sort(
    (a, b) => Date.parse(a.time) - Date.parse(b.time) || (ORDER[a.event] ?? 9) - (ORDER[b.event] ?? 9)
  );
}

/**
 * A job's last recorded state from its events. Each transition is looked up by kind, so the order the events
 * arrive in (Loki answers newest first, replicas interleave) does not change the result.
 */
export function foldJob(id: string, events: AuditEvent[]): Job {
  const of = (kind: AuditEvent['event']) => events.find((e) => e.event === kind);
  const first = <K extends keyof AuditEvent>(key: K) => events.find((e) => e[key] !== undefined)?.[key];
  const launched = of('launched');
  const started = of('started');
  const cancelled = of('cancelled');
  const finished = of('finished');
  const job: Job = {
    id,
    template: first('template') ?? '',
    params: first('params') ?? {},
    launchedBy: first('launchedBy') ?? 'unknown',
    schedule: first('schedule') ?? null,
    source: first('source') ?? null,
    createdAt: first('createdAt') ?? launched?.time ?? events[0].time,
    // a cancel always ends the job as Cancelled (lowered deadline or deletion), even if its end is not recorded yet
    phase: finished?.phase ?? (cancelled ? 'Cancelled' : started ? 'Running' : 'Pending'),
  };
  const startedAt = first('startedAt') ?? started?.time;
  if (startedAt) {
    job.startedAt = startedAt;
  }
  if (cancelled) {
    job.cancelledAt = cancelled.time;
    job.cancelledBy = cancelled.by;
  }
  if (finished) {
    job.finishedAt = finished.finishedAt ?? finished.time;
    job.exitCode = finished.exitCode;
    job.durationSeconds = finished.durationSeconds;
    job.failure = finished.failure;
    job.reason = finished.failure?.reason;
  }
  return stripUndefined(job);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Every job and refused launch among the events, newest first, each in its last recorded state; a job the proxy
 * still has (`live`) shows its live state instead. Schedule events are not jobs and are left out.
 */
export function historyEntries(events: AuditEvent[], live: Job[] = []): HistoryEntry[] {
  const liveById = new Map(live.map((j) => [j.id, j]));
  const byJob = new Map<string, AuditEvent[]>();
  const entries: HistoryEntry[] = [];
  for (const e of dedupeEvents(events)) {
    if (e.event === 'rejected') {
      entries.push(rejectedEntry(e));
    } else if (e.jobId && ORDER[e.event] !== undefined) {
      byJob.set(e.jobId, [...(byJob.get(e.jobId) ?? []), e]);
    }
  }
  byJob.forEach((jobEvents, id) => {
    const liveJob = liveById.get(id);
    const job = liveJob ?? foldJob(id, jobEvents);
    const purged = jobEvents.find((e) => e.event === 'purged');
    entries.push({
      key: id,
      job,
      outcome: job.phase,
      template: job.template,
      launchedBy: job.launchedBy,
      params: job.params,
      time: job.createdAt,
      ...(purged && { purged: { at: purged.time, by: purged.by } }),
      events: jobEvents,
      live: liveJob !== undefined,
    });
  });
  return entries.sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || a.key.localeCompare(b.key));
}

function rejectedEntry(e: AuditEvent): HistoryEntry {
  return {
    key: e.eventId,
    outcome: 'Rejected',
    template: e.template ?? '',
    launchedBy: e.launchedBy ?? 'unknown',
    params: e.params ?? {},
    time: e.time,
    rejection: stripUndefined({ reason: e.reason, status: e.status, message: e.message }),
    events: [e],
    live: false,
  };
}

export interface HistoryFilters {
  template?: string;
  user?: string;
  outcome?: HistoryOutcome;
}

export function filterHistory(entries: HistoryEntry[], filters: HistoryFilters): HistoryEntry[] {
  return entries.filter(
    (e) =>
      (!filters.template || e.template === filters.template) &&
      (!filters.user || e.launchedBy === filters.user) &&
      (!filters.outcome || e.outcome === filters.outcome)
  );
}

/** The choices a filter offers: the values among the entries on screen, so none leads to an empty list. */
export function choicesOf(entries: HistoryEntry[], key: 'template' | 'launchedBy'): string[] {
  return [...new Set(entries.map((e) => e[key]).filter(Boolean))].sort();
}

/** A recorded transition as a person reads it, and how it ended for the timeline's icon. */
export function describeEvent(e: AuditEvent): { label: string; state: 'done' | 'failed' | 'cancelled' } {
  switch (e.event) {
    case 'launched':
      return {
        label: e.schedule ? `Launched by schedule ${e.schedule}` : `Launched by ${e.launchedBy}`,
        state: 'done',
      };
    case 'started':
      return { label: 'Started', state: 'done' };
    case 'cancelled':
      return { label: `Cancelled by ${e.by ?? 'unknown'}`, state: 'cancelled' };
    case 'finished': {
      const how = e.failure ? failureTitle(e.failure) : e.exitCode ? `exit ${e.exitCode}` : '';
      const phase = e.phase ?? 'Finished';
      const label = how && how !== phase ? `${phase}: ${how}` : phase;
      return { label, state: e.phase === 'Failed' ? 'failed' : e.phase === 'Cancelled' ? 'cancelled' : 'done' };
    }
    case 'purged':
      return { label: `Record purged by ${e.by ?? 'unknown'}`, state: 'done' };
    default:
      return { label: `Launch refused (${e.reason ?? e.status})`, state: 'failed' };
  }
}

/** The outcomes a person can filter on; Unknown stays reachable through the URL only, as in the live list. */
export const HISTORY_OUTCOMES: readonly HistoryOutcome[] = [
  ...JOB_PHASES.filter((phase) => phase !== 'Unknown'),
  'Rejected',
];

/** Filters live in the URL (`template`, `user`, `outcome`), as the live list's do. */
export function historyFiltersFromQuery(query: URLSearchParams): HistoryFilters {
  const outcome = query.get('outcome') ?? '';
  return {
    template: query.get('template') || undefined,
    user: query.get('user') || undefined,
    outcome: outcome === 'Rejected' || isJobPhase(outcome) ? outcome : undefined,
  };
}

/** The same query with the filters written into it; other keys (the time range) are kept. */
export function queryWithHistoryFilters(query: URLSearchParams, filters: HistoryFilters): URLSearchParams {
  const next = new URLSearchParams(query);
  const set = (key: string, value: string | undefined) => (value ? next.set(key, value) : next.delete(key));
  set('template', filters.template);
  set('user', filters.user);
  set('outcome', filters.outcome);
  return next;
}
