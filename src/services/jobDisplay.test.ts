import { job as makeJob } from '../testing/fixtures';
import { formatDuration, jobDurationSeconds, jobOutcome } from './jobDisplay';

describe('job display values', () => {
  it('formats durations for people', () => {
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3720)).toBe('1h 02m');
    expect(formatDuration(600)).toBe('10m');
    expect(formatDuration(3600)).toBe('1h');
  });

  it('counts a running job from its start and trusts the proxy once finished', () => {
    const running = makeJob({ startedAt: '2026-11-26T10:00:00Z', durationSeconds: undefined });
    expect(jobDurationSeconds(running, Date.parse('2026-11-26T10:01:30Z'))).toBe(90);
    expect(jobDurationSeconds(makeJob({ durationSeconds: 12 }), Date.now())).toBe(12);
    expect(jobDurationSeconds(makeJob({ startedAt: undefined, phase: 'Pending' }), Date.now())).toBeUndefined();
  });

  it('prefers the reason over the exit code', () => {
    expect(jobOutcome(makeJob({ reason: 'OOMKilled', exitCode: 137 }))).toBe('OOMKilled (exit 137)');
    expect(jobOutcome(makeJob({ exitCode: 0 }))).toBe('exit 0');
    expect(jobOutcome(makeJob())).toBe('');
  });

  it('says a failure summary in one line: reason, exit code and message; a cancel without its exit code', () => {
    const failure = { reason: 'Error', message: 'bad DB_URL', exitCode: 1, lastLogLines: ['ERROR x'] };
    expect(jobOutcome(makeJob({ phase: 'Failed', reason: 'Error', exitCode: 1, failure }))).toBe(
      'Error (exit 1): bad DB_URL'
    );
    const cancelled = { reason: 'Cancelled', message: 'Cancelled by bob', exitCode: 137, lastLogLines: [] };
    expect(jobOutcome(makeJob({ phase: 'Cancelled', failure: cancelled }))).toBe('Cancelled: Cancelled by bob');
    const oom = { reason: 'OOMKilled', message: 'OOMKilled', exitCode: 137, lastLogLines: [] };
    expect(jobOutcome(makeJob({ failure: oom }))).toBe('OOMKilled (exit 137)');
  });
});
