import { job } from '../testing/fixtures';
import { jobTimeWindow } from './jobTimeWindow';

describe('jobTimeWindow', () => {
  it('frames a finished job with a minute on each side', () => {
    const window = jobTimeWindow(job({ createdAt: '2026-11-26T22:00:00Z', finishedAt: '2026-11-26T22:05:00Z' }));
    expect(window).toEqual({ from: '2026-11-26T21:59:00.000Z', to: '2026-11-26T22:06:00.000Z' });
  });

  it('keeps following a job that has not finished', () => {
    expect(jobTimeWindow(job({ createdAt: '2026-11-26T22:00:00Z' })).to).toBe('now');
  });
});
