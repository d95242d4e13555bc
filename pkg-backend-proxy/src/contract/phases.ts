/** A job's phase is its Pod's phase; a Pod Kubernetes reports with any other phase is shown as Unknown. */
export const JOB_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

export type JobPhase = (typeof JOB_PHASES)[number];

export function isJobPhase(value: string): value is JobPhase {
  return (JOB_PHASES as readonly string[]).includes(value);
}

/**
 * Pending or Running and not yet asked to stop (a cancel or retention sets `deletedAt`): the jobs the launch
 * limits count and the only ones a person can still cancel.
 */
export function isActive(job: { phase: JobPhase; deletedAt?: string }): boolean {
  return (job.phase === 'Pending' || job.phase === 'Running') && job.deletedAt === undefined;
}
