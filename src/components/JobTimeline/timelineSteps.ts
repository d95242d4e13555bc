import type { Job } from '../../api/types';

export interface TimelineStep {
  label: string;
  at?: string;
  /** `failed` and `cancelled` mark how an unsuccessful job ended, on its last step. */
  state: 'done' | 'current' | 'waiting' | 'failed' | 'cancelled';
}

function lastStep(job: Job): { label: string; state?: TimelineStep['state'] } {
  if (job.phase === 'Failed') {
    return { label: `Failed${job.reason ? ` (${job.reason})` : ''}`, state: 'failed' };
  }
  if (job.phase === 'Cancelled') {
    return { label: job.cancelledBy ? `Cancelled by ${job.cancelledBy}` : 'Cancelled', state: 'cancelled' };
  }
  return { label: 'Finished', state: job.phase === 'Succeeded' ? 'done' : undefined };
}

/**
 * Created → Started → Finished, with the step the job is in now marked `current`; a job that failed or was
 * cancelled says so on its last step, even when it never started.
 */
export function timelineSteps(job: Job): TimelineStep[] {
  const last = lastStep(job);
  const steps: Array<{ label: string; at?: string }> = [
    { label: 'Created', at: job.createdAt },
    { label: 'Started', at: job.startedAt },
    { label: last.label, at: job.finishedAt },
  ];
  const reached = steps.filter((s) => s.at).length;
  const ended = last.state !== undefined;
  return steps.map((step, i) => ({
    ...step,
    state:
      i === steps.length - 1 && last.state && (step.at || last.state !== 'done')
        ? last.state
        : step.at
          ? 'done'
          : i === reached && !ended
            ? 'current'
            : 'waiting',
  }));
}
