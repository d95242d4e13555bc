import { job as makeJob } from '../../testing/fixtures';
import { timelineSteps } from './timelineSteps';

describe('timelineSteps', () => {
  it('marks the step a pending job waits for', () => {
    const steps = timelineSteps(makeJob({ phase: 'Pending', startedAt: undefined }));
    expect(steps.map((s) => s.state)).toEqual(['done', 'current', 'waiting']);
  });

  it('shows a running job between start and finish', () => {
    const steps = timelineSteps(makeJob({ phase: 'Running', startedAt: '2026-11-26T22:00:02Z' }));
    expect(steps.map((s) => [s.label, s.state])).toEqual([
      ['Created', 'done'],
      ['Started', 'done'],
      ['Finished', 'current'],
    ]);
  });

  it('names the failure reason on the last step', () => {
    const job = makeJob({ phase: 'Failed', reason: 'DeadlineExceeded', finishedAt: '2026-11-26T10:10:00Z' });
    expect(timelineSteps(job)[2]).toEqual({ label: 'Failed (DeadlineExceeded)', at: job.finishedAt, state: 'failed' });
  });

  it('does not wait for a start that never came once the job ended', () => {
    const job = makeJob({ phase: 'Failed', reason: 'ImagePullBackOff', startedAt: undefined });
    expect(timelineSteps(job).map((s) => s.state)).toEqual(['done', 'waiting', 'failed']);
  });

  it('marks a succeeded job done and a cancelled one cancelled, naming who', () => {
    const ok = makeJob({ phase: 'Succeeded', startedAt: '2026-11-26T10:00:02Z', finishedAt: '2026-11-26T10:10:00Z' });
    expect(timelineSteps(ok).map((s) => s.state)).toEqual(['done', 'done', 'done']);
    const cancelled = makeJob({
      phase: 'Cancelled',
      reason: 'Cancelled',
      cancelledBy: 'bob',
      cancelledAt: '2026-11-26T10:05:00Z',
      finishedAt: '2026-11-26T10:05:01Z',
    });
    expect(timelineSteps(cancelled)[2]).toEqual({
      label: 'Cancelled by bob',
      at: cancelled.finishedAt,
      state: 'cancelled',
    });
    // cancelled before it ran: no start, and the end is still shown as a cancel, not as something to wait for
    const early = makeJob({ phase: 'Cancelled', startedAt: undefined, cancelledBy: 'bob', finishedAt: undefined });
    expect(timelineSteps(early).map((s) => s.state)).toEqual(['done', 'waiting', 'cancelled']);
  });
});
