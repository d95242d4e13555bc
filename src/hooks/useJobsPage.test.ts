import { act, renderHook, waitFor } from '@testing-library/react';
import type { Job } from '../api/types';
import { pageStateFromQuery } from '../services/jobsPage';
import { LiveJobsStore } from '../services/liveJobs';
import { proxyError } from '../testing/fakeBackendSrv';
import { serveJobList } from '../testing/fakeJobList';
import { FakeProxy, heldChanges } from '../testing/fakeProxy';
import { job } from '../testing/fixtures';
import { REFRESH_DELAY_MS, useJobsPage } from './useJobsPage';

const a = job({ id: 'basic-aaaaa', phase: 'Running' });
const b = job({ id: 'basic-bbbbb', phase: 'Pending' });

/** A proxy listing `list` as it is at each request; its long-polls wait until the test answers them. */
function setup() {
  let list: Job[] = [a, b];
  const proxy = serveJobList(new FakeProxy(), () => list).install();
  const { answerPoll: answer, answerChanges: answerPoll } = heldChanges(proxy);
  const state = pageStateFromQuery(new URLSearchParams());
  const store = new LiveJobsStore(() => Promise.resolve());
  const listCalls = () => proxy.calls('GET', 'api/v1/jobs').length;
  return { state, store, answer, answerPoll, listCalls, setList: (jobs: Job[]) => (list = jobs) };
}

describe('useJobsPage', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the page once when it opens, however the live loop and the page answer interleave', async () => {
    const { state, store, listCalls } = setup();
    const { result } = renderHook(() => useJobsPage(state, store));
    await waitFor(() => expect(result.current.rows.map((j) => j.id)).toEqual([a.id, b.id]));
    jest.useFakeTimers();
    await act(async () => void jest.advanceTimersByTime(REFRESH_DELAY_MS * 2));
    expect(listCalls()).toBe(1);
  });

  it('offers the templates and schedules the list answers, and reads the page again when the loop starts over', async () => {
    const { state, store, answer, listCalls, setList } = setup();
    const { result } = renderHook(() => useJobsPage(state, store));
    await waitFor(() => expect(result.current.templates).toEqual(['basic']));
    const nightly = job({ id: 'log-gen-nnnnn', template: 'log-gen', schedule: 'nightly' });
    setList([nightly, a, b]);
    // the proxy forgot the cursor: what happened meanwhile never comes as a change, so the page is read again
    await answer(proxyError(410, 'cursor_expired', 'cursor expired'));
    await waitFor(() => expect(result.current.rows.map((j) => j.id)).toEqual([nightly.id, a.id, b.id]));
    expect(listCalls()).toBe(2);
    expect(result.current.templates).toEqual(['basic', 'log-gen']);
    expect(result.current.schedules).toEqual(['nightly']);
  });

  it('applies a change that moves no phase to the row without asking again', async () => {
    const { state, store, answerPoll, listCalls } = setup();
    const { result } = renderHook(() => useJobsPage(state, store));
    await waitFor(() => expect(result.current.rows).toHaveLength(2));
    jest.useFakeTimers();
    await answerPoll([{ ...a, startedAt: '2026-11-26T22:00:03Z' }]);
    expect(result.current.rows[0].startedAt).toBe('2026-11-26T22:00:03Z');
    await act(async () => void jest.advanceTimersByTime(REFRESH_DELAY_MS * 2));
    expect(listCalls()).toBe(1);
  });

  it('asks once again after a burst of phase changes and new jobs, and shows the new page', async () => {
    const { state, store, answerPoll, listCalls, setList } = setup();
    const { result } = renderHook(() => useJobsPage(state, store));
    await waitFor(() => expect(result.current.rows).toHaveLength(2));
    jest.useFakeTimers();
    const c = job({ id: 'basic-ccccc', phase: 'Pending', createdAt: '2026-11-26T22:09:00Z' });
    setList([c, { ...a, phase: 'Succeeded' }, b]);
    await answerPoll([{ ...a, phase: 'Succeeded' }]);
    // the phase is on screen before the page is asked again
    expect(result.current.rows.map((j) => j.phase)).toEqual(['Succeeded', 'Pending']);
    await answerPoll([c]);
    expect(listCalls()).toBe(1);
    await act(async () => void jest.advanceTimersByTime(REFRESH_DELAY_MS));
    jest.useRealTimers();
    await waitFor(() => expect(result.current.rows.map((j) => j.id)).toEqual([c.id, a.id, b.id]));
    expect(listCalls()).toBe(2);
    expect(result.current.counts).toEqual({ Pending: 2, Succeeded: 1 });
  });

  it('moves the per-phase counts with a live phase change at once, before the page is asked again', async () => {
    const { state, store, answerPoll, listCalls } = setup();
    const { result } = renderHook(() => useJobsPage(state, store));
    await waitFor(() => expect(result.current.counts).toEqual({ Running: 1, Pending: 1 }));
    jest.useFakeTimers();
    await answerPoll([{ ...b, phase: 'Running' }]);
    expect(listCalls()).toBe(1);
    expect(result.current.counts).toEqual({ Running: 2, Pending: 0 });
  });
});
