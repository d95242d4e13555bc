import { jobAuditEvent } from '@flowkube/backend-proxy/contract';
import type { AuditEvent, Job } from '../api/types';
import { job as makeJob } from './fixtures';

/**
 * The audit events the proxy writes for one job's life (pkg-backend-proxy/src/audit.ts): every event carries the
 * job's id, template, params, who launched it and when it was created, and `eventId` = job id + transition.
 */
export function jobEvents(overrides: Partial<Job> = {}) {
  const job = makeJob({
    id: 'log-gen-abcde',
    template: 'log-gen',
    params: { tasks: 3, fail: true },
    launchedBy: 'carol',
    createdAt: '2026-11-26T22:00:00Z',
    ...overrides,
  });
  // the proxy's own builder, so a fixture cannot drift from the lines the proxy writes
  const base = (event: AuditEvent['event'], time: string): AuditEvent => jobAuditEvent(event, job, time);
  return {
    launched: base('launched', job.createdAt),
    started: (time = '2026-11-26T22:00:02Z'): AuditEvent => ({ ...base('started', time), startedAt: time }),
    cancelled: (by: string, time = '2026-11-26T22:00:05Z'): AuditEvent => ({ ...base('cancelled', time), by }),
    finished: (fields: Partial<AuditEvent>, time = '2026-11-26T22:00:09Z'): AuditEvent => ({
      ...base('finished', time),
      finishedAt: time,
      ...fields,
    }),
    purged: (by: string, time = '2026-11-26T23:00:00Z'): AuditEvent => ({ ...base('purged', time), by }),
  };
}

export function rejectedEvent(fields: Partial<AuditEvent> = {}): AuditEvent {
  return {
    audit: true,
    eventId: 'rejected:6f1c0d7e-1b7a-4c3e-9d1e-2a9a0f3b7c11',
    event: 'rejected',
    time: '2026-11-26T21:30:00Z',
    launchedBy: 'dave',
    template: 'cpu-load',
    params: { seconds: 99999 },
    reason: 'invalid',
    status: 400,
    message: 'params.seconds must be <= 3600',
    ...fields,
  };
}
