import { job as makeJob } from '../../testing/fixtures';
import { filterJobs, filtersFromQuery, queryWithFilters, schedulesOf, templatesOf } from './filterJobs';

const jobs = [
  makeJob({ id: 'cpu-load-a', template: 'cpu-load', phase: 'Running', launchedBy: 'alice' }),
  makeJob({ id: 'log-gen-b', template: 'log-gen', phase: 'Failed', launchedBy: 'bob', reason: 'OOMKilled' }),
  makeJob({ id: 'basic-c', template: 'basic', phase: 'Succeeded', launchedBy: 'alice' }),
];
const ids = (list: typeof jobs) => list.map((j) => j.id);

describe('filterJobs', () => {
  it('filters by template, phase and text together', () => {
    expect(ids(filterJobs(jobs, { text: '' }))).toEqual(['cpu-load-a', 'log-gen-b', 'basic-c']);
    expect(ids(filterJobs(jobs, { template: 'log-gen', text: '' }))).toEqual(['log-gen-b']);
    expect(ids(filterJobs(jobs, { phase: 'Succeeded', text: '' }))).toEqual(['basic-c']);
    expect(ids(filterJobs(jobs, { text: 'ALICE' }))).toEqual(['cpu-load-a', 'basic-c']);
    expect(ids(filterJobs(jobs, { text: 'oom' }))).toEqual(['log-gen-b']);
    expect(ids(filterJobs(jobs, { template: 'basic', phase: 'Running', text: '' }))).toEqual([]);
  });

  it('offers each template once, sorted', () => {
    expect(templatesOf([...jobs, makeJob({ id: 'x', template: 'basic' })])).toEqual(['basic', 'cpu-load', 'log-gen']);
  });
});

describe('the schedule filter', () => {
  const runs = [
    ...jobs,
    makeJob({ id: 'basic-nightly-29433-abcde', template: 'basic', schedule: 'basic-nightly' }),
    makeJob({ id: 'basic-hourly-29433-fghij', template: 'basic', schedule: 'basic-hourly' }),
  ];

  it('keeps only the runs of the chosen schedule', () => {
    expect(ids(filterJobs(runs, { schedule: 'basic-nightly', text: '' }))).toEqual(['basic-nightly-29433-abcde']);
  });

  it('offers the schedules that have runs, never a hand launch', () => {
    expect(schedulesOf(runs)).toEqual(['basic-hourly', 'basic-nightly']);
  });

  it('lives in the URL as `schedule`', () => {
    const query = queryWithFilters(new URLSearchParams(), { schedule: 'basic-nightly', text: '' });
    expect(query.toString()).toBe('schedule=basic-nightly');
    expect(filtersFromQuery(query).schedule).toBe('basic-nightly');
  });
});

describe('filters in the URL', () => {
  it('round-trips and keeps unrelated keys', () => {
    const query = queryWithFilters(new URLSearchParams('from=now-6h'), {
      template: 'basic',
      phase: 'Failed',
      text: 'oom',
    });
    expect(query.toString()).toBe('from=now-6h&template=basic&phase=Failed&q=oom');
    expect(filtersFromQuery(query)).toEqual({ template: 'basic', phase: 'Failed', text: 'oom' });
    expect(queryWithFilters(query, { text: '' }).toString()).toBe('from=now-6h');
  });

  it('ignores a phase that does not exist', () => {
    expect(filtersFromQuery(new URLSearchParams('phase=Exploded'))).toEqual({
      template: undefined,
      phase: undefined,
      text: '',
    });
  });
});
