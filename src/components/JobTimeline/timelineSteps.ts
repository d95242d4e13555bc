import type { Job } from '../../api/types';

export interface TimelineStep {
  label: string;
  at?: string;
  state: 'done' | 'current' | 'waiting';
}

/** Created → Started → Finished, with the step the job is in now marked `current`. */
export function timelineSteps(job: Job): TimelineStep[] {
  const finishedLabel = job.phase === 'Failed' ? `Failed${job.reason ? ` (${job.reason})` : ''}` : 'Finished';
  const steps: Array<{ label: string; at?: string }> = [
    { label: 'Created', at: job.createdAt },
    { label: 'Started', at: job.startedAt },
    { label: finishedLabel, at: job.finishedAt },
  ];
  const reached = steps.filter((s) => s.at).length;
  const ended = job.phase === 'Succeeded' || job.phase === 'Failed';
  return steps.map((step, i) => ({
    ...step,
    state: step.at ? 'done' : i === reached && !ended ? 'current' : 'waiting',
  }));
}
