/**
 * A job's phase is its Pod's phase, except `Cancelled`: a Pod someone cancelled (flowkube.io/cancelled-by) once it
 * has stopped, or was deleted before it ran. A Pod Kubernetes reports with any other phase is shown as Unknown.
 */
export const JOB_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled', 'Unknown'] as const;

export type JobPhase = (typeof JOB_PHASES)[number];

export function isJobPhase(value: string): value is JobPhase {
  return (JOB_PHASES as readonly string[]).includes(value);
}

/**
 * Pending or Running and not yet asked to stop (a cancel sets `cancelledAt`, a deletion `deletedAt`): the jobs the
 * launch limits count and the only ones a person can still cancel.
 */
export function isActive(job: { phase: JobPhase; deletedAt?: string; cancelledAt?: string }): boolean {
  return (
    (job.phase === 'Pending' || job.phase === 'Running') && job.deletedAt === undefined && job.cancelledAt === undefined
  );
}

/**
 * What the list's `phase` filter takes: a phase, or `active`, the jobs `isActive` keeps (the count on a Launch card).
 * `active` is a filter only: no job has it as its phase.
 */
export const PHASE_FILTERS = [...JOB_PHASES, 'active'] as const;

export type PhaseFilter = (typeof PHASE_FILTERS)[number];

export function isPhaseFilter(value: string): value is PhaseFilter {
  return (PHASE_FILTERS as readonly string[]).includes(value);
}

/** Whether the `phase` filter keeps `job`. */
export function inPhaseFilter(
  job: { phase: JobPhase; deletedAt?: string; cancelledAt?: string },
  filter: PhaseFilter
): boolean {
  return filter === 'active' ? isActive(job) : job.phase === filter;
}

/** Over for good: Succeeded, Failed or Cancelled. */
export function isFinished(phase: JobPhase): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Cancelled';
}
