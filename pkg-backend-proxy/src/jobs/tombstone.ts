import type { JobRecord } from './job-store.ts';

/**
 * What stays of a job cancelled before it ran once its Pod is deleted, for a Pod the cancel gave no finalizer (one a
 * Job owns; any other keeps its Pod, cancel.ts): the job as Cancelled, ended when it was cancelled, in this replica's
 * cache only. Kept as long as finished Pods are kept (retention drops it), so the person who cancelled sees it end
 * instead of vanish. The deleted Pod may reach us as last seen before the deletion (a re-list found it
 * gone), so the phase and times are set here rather than read from it.
 */
export function tombstone(record: JobRecord, now: Date = new Date()): JobRecord {
  const at = now.toISOString();
  const job = { ...record.job, phase: 'Cancelled' as const, reason: 'Cancelled' };
  job.cancelledBy ??= 'unknown';
  job.message = `Cancelled by ${job.cancelledBy}`;
  job.failure = { reason: 'Cancelled', message: job.message, lastLogLines: [] };
  job.deletedAt ??= at;
  job.finishedAt ??= job.cancelledAt ?? at;
  // no ownerJob: with the Pod gone, no Job's TTL will remove it, so retention must
  const out: JobRecord = { job, tombstone: true };
  if (record.requestHash !== undefined) {
    out.requestHash = record.requestHash; // a repeated Idempotency-Key still finds its (cancelled) job
  }
  if (record.launchId !== undefined) {
    out.launchId = record.launchId;
  }
  return out;
}
