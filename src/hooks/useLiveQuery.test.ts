import { act, renderHook, waitFor } from '@testing-library/react';
import type { Job } from '../api/types';
import { type JobChanges, LiveJobsStore } from '../services/liveJobs';
import { deferred, type FakeAnswer, proxyError } from '../testing/fakeBackendSrv';
import { FakeProxy, startsLoop } from '../testing/fakeProxy';
import { job } from '../testing/fixtures';
import { REFRESH_DELAY_MS, useLiveQuery } from './useLiveQuery';

const a = job({ id: 'basic-aaaaa', phase: 'Pending' });

/** A loop whose first answer and every long-poll wait until the test answers them, and a read the test resolves. */
function setup() {
  const starts: Array<ReturnType<typeof deferred<FakeAnswer>>> = [];
  const polls: Array<ReturnType<typeof deferred<FakeAnswer>>> = [];
  new FakeProxy()
    .on('GET', 'api/v1/changes', (request) => {
      const next = deferred<FakeAnswer>();
      (startsLoop(request) ? starts : polls).push(next);
      return next.promise;
    })
    .install();
  const reads: Array<ReturnType<typeof deferred<Job[]>>> = [];
  const read = jest.fn(() => {
    const next = deferred<Job[]>();
    reads.push(next);
    return next.promise;
  });
  // upserts; a job other than `a` makes the answer stale
  const apply = (jobs: Job[], changes: JobChanges) => ({
    value: [...jobs.filter((j) => !changes.items.some((c) => c.id === j.id)), ...changes.items],
    stale: changes.items.some((c) => c.id !== a.id),
  });
  const store = new LiveJobsStore(() => Promise.resolve());
  const start = async (reply: FakeAnswer = { status: 200, data: { cursor: 'c0', items: [], removed: [] } }) => {
    await waitFor(() => expect(starts.length).toBeGreaterThan(0));
    await act(async () => starts.shift()!.resolve(reply));
  };
  const answerPoll = async (reply: FakeAnswer) => {
    await waitFor(() => expect(polls.length).toBeGreaterThan(0));
    await act(async () => polls.shift()!.resolve(reply));
  };
  const changed = (items: Job[]) => answerPoll({ status: 200, data: { cursor: 'c1', items, removed: [] } });
  const resolveRead = async (jobs: Job[]) => {
    await waitFor(() => expect(reads.length).toBeGreaterThan(0));
    await act(async () => reads.shift()!.resolve(jobs));
  };
  const render = () => renderHook(() => useLiveQuery('k', read, apply, store));
  return { store, read, start, answerPoll, changed, resolveRead, render };
}

describe('useLiveQuery', () => {
  afterEach(() => jest.useRealTimers());

  it('reads only once the loop has its cursor, then applies each change to the answer', async () => {
    const { read, start, changed, resolveRead, render } = setup();
    const { result } = render();
    expect(read).not.toHaveBeenCalled();
    expect(result.current.loading).toBe(true);
    await start();
    await resolveRead([a]);
    expect(result.current.value).toEqual([a]);
    await changed([{ ...a, phase: 'Running' }]);
    expect(result.current.value?.map((j) => j.phase)).toEqual(['Running']);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('applies a change that came while the read was in flight to its answer', async () => {
    const { start, changed, resolveRead, render } = setup();
    const { result } = render();
    await start();
    await changed([{ ...a, phase: 'Running' }]);
    expect(result.current.value).toBeUndefined();
    await resolveRead([a]);
    expect(result.current.value?.map((j) => j.phase)).toEqual(['Running']);
  });

  it('reads once again after a burst of changes that made the answer stale', async () => {
    const { read, start, changed, resolveRead, render } = setup();
    const { result } = render();
    await start();
    await resolveRead([a]);
    jest.useFakeTimers();
    await changed([job({ id: 'basic-bbbbb' })]);
    await changed([job({ id: 'basic-ccccc' })]);
    expect(read).toHaveBeenCalledTimes(1);
    await act(async () => void jest.advanceTimersByTime(REFRESH_DELAY_MS));
    expect(read).toHaveBeenCalledTimes(2);
    jest.useRealTimers();
    await resolveRead([a]);
    expect(result.current.value).toEqual([a]);
  });

  it('reads again when the loop starts over after a 410, and keeps the answer shown meanwhile', async () => {
    const { read, start, answerPoll, resolveRead, render } = setup();
    const { result } = render();
    await start();
    await resolveRead([a]);
    await answerPoll(proxyError(410, 'cursor_expired', 'cursor expired'));
    expect(result.current.value).toEqual([a]);
    await start();
    await waitFor(() => expect(read).toHaveBeenCalledTimes(2));
    const b = job({ id: 'basic-bbbbb' });
    await resolveRead([b]);
    expect(result.current.value).toEqual([b]);
  });

  it("shows a failed read as its error, and the loop's while it has no cursor, and reads nothing then", async () => {
    const { read, start, render } = setup();
    read.mockImplementationOnce(() => Promise.reject(new Error('boom')));
    const first = render();
    await start();
    await waitFor(() => expect(first.result.current.error?.message).toBe('boom'));
    expect(first.result.current.loading).toBe(false);
    first.unmount();

    const second = render();
    await start(proxyError(503, 'not_ready', 'cache not synced'));
    await waitFor(() => expect(second.result.current.error?.status).toBe(503));
    expect(read).toHaveBeenCalledTimes(1);
  });
});
