import { job as makeJob } from '../testing/fixtures';
import { formatDuration, formatResources, jobDurationSeconds, jobOutcome, paramRows } from './jobDisplay';

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

describe('paramRows', () => {
  const schema = {
    type: 'object' as const,
    properties: { tasks: { type: 'integer' as const, title: 'Tasks' }, note: { type: 'string' as const } },
  };

  it('titles parameters from the template, in its order, values without JSON quotes', () => {
    expect(paramRows({ note: 'say "hi"', tasks: 3, gone: false }, schema)).toEqual([
      { name: 'tasks', title: 'Tasks', value: '3' },
      { name: 'note', title: 'note', value: 'say "hi"' },
      { name: 'gone', title: 'gone', value: 'false' },
    ]);
  });

  it('keeps a large integer exactly as the proxy sent it', () => {
    expect(paramRows({ seed: 2147483647 })[0].value).toBe('2147483647');
  });
});

describe('formatResources', () => {
  it('shows request–limit per resource', () => {
    expect(
      formatResources({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi', gpu: '1' } })
    ).toBe('cpu 100m, memory 64Mi–128Mi, gpu at most 1');
    expect(formatResources({ requests: { cpu: '1' } })).toBe('cpu 1 requested');
    expect(formatResources(undefined)).toBe('–');
  });
});
