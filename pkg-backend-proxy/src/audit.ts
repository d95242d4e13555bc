import { randomUUID } from 'node:crypto';
import { type AuditEvent, jobAuditEvent } from './contract/audit.ts';
import { isFinished } from './contract/phases.ts';
import { validSource } from './contract/source.ts';
import type { Job, ParamValues, Schedule } from './schemas/index.ts';

/**
 * The events a change of a job makes, in order: a job first seen (a launch, or any job after a restart) gets
 * every transition it has already been through, so a replica that was down when a job ended still records it.
 */
export function transitions(prev: Job | undefined, next: Job): AuditEvent[] {
  const out: AuditEvent[] = [];
  if (!prev) {
    out.push(jobAuditEvent('launched', next, next.createdAt));
  }
  if (next.startedAt && !prev?.startedAt) {
    out.push(jobAuditEvent('started', next, next.startedAt));
  }
  if (next.cancelledAt && !prev?.cancelledAt) {
    out.push({ ...jobAuditEvent('cancelled', next, next.cancelledAt), by: next.cancelledBy ?? 'unknown' });
  }
  if (isFinished(next.phase) && !(prev && isFinished(prev.phase))) {
    const e = jobAuditEvent('finished', next, next.finishedAt ?? next.createdAt);
    e.phase = next.phase;
    if (next.exitCode !== undefined) {
      e.exitCode = next.exitCode;
    }
    if (next.durationSeconds !== undefined) {
      e.durationSeconds = next.durationSeconds;
    }
    if (next.failure) {
      e.failure = next.failure;
    }
    out.push(e);
  }
  return out;
}

export function purgedEvent(job: Job, by: string, now = new Date()): AuditEvent {
  return { ...jobAuditEvent('purged', job, now.toISOString()), by };
}

/** Request bodies are only quoted in a rejection when they are this small: a refusal is no reason to log megabytes. */
const MAX_QUOTED_PARAMS = 4096;

/**
 * A refused launch. There is no job, and one replica answers the request, so the id is random: it has no duplicate.
 * Only the template id, the params and a valid source are quoted from the body, never headers: tokens stay out of the
 * stream.
 */
export function rejectedEvent(
  input: { body: unknown; launchedBy: string; reason: string; status: number; message: string },
  now = new Date()
): AuditEvent {
  const e: AuditEvent = {
    audit: true,
    eventId: `rejected:${randomUUID()}`,
    event: 'rejected',
    time: now.toISOString(),
    launchedBy: input.launchedBy,
    reason: input.reason,
    status: input.status,
    message: input.message.slice(0, 1000),
  };
  const body = input.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { template, params, source } = body as { template?: unknown; params?: unknown; source?: unknown };
    if (typeof template === 'string') {
      e.template = template.slice(0, 100);
    }
    if (params && typeof params === 'object' && !Array.isArray(params)) {
      const text = JSON.stringify(params);
      if (text.length <= MAX_QUOTED_PARAMS) {
        e.params = params as ParamValues;
      }
    }
    const from = validSource(source);
    if (from) {
      e.source = from;
    }
  }
  return e;
}

export type ScheduleChange = 'schedule_created' | 'schedule_updated' | 'schedule_deleted';

/**
 * A schedule's change, written by the one replica that answered the request (the CronJob watch tells no one who
 * changed what). Creation and deletion happen once per CronJob, so their id is the schedule (with its creation time,
 * as a deleted key's name may come back) and the change; updates are many, so each gets a random one.
 */
export function scheduleEvent(
  event: ScheduleChange,
  schedule: Schedule,
  by: string,
  changed?: string[],
  now = new Date()
): AuditEvent {
  const key = `${schedule.id}@${schedule.createdAt}:${event}`;
  const e: AuditEvent = {
    audit: true,
    eventId: event === 'schedule_updated' ? `${key}:${randomUUID()}` : key,
    event,
    time: event === 'schedule_created' ? schedule.createdAt : now.toISOString(),
    schedule: schedule.id,
    template: schedule.template,
    params: schedule.params,
    cron: schedule.schedule,
    timeZone: schedule.timeZone,
    suspend: schedule.suspend,
    concurrencyPolicy: schedule.concurrencyPolicy,
    by,
  };
  if (changed) {
    e.changed = changed;
  }
  return e;
}

/** A run started by hand; the job it made gets its own launched event from the watch, this says who asked. */
export function runNowEvent(job: Job, by: string, now = new Date()): AuditEvent {
  return { ...jobAuditEvent('schedule_run_now', job, now.toISOString()), by };
}
