import { useSyncExternalStore } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { SINCE_NOW } from '@flowkube/backend-proxy/contract';
import { useLiveJob } from '../hooks/useLiveJob';
import { type JobChanges, LiveJobsStore } from './liveJobs';
import { deferred, type FakeAnswer as Reply, proxyError } from '../testing/fakeBackendSrv';
import { FakeProxy, heldChanges, startsLoop } from '../testing/fakeProxy';
import { job as makeJob } from '../testing/fixtures';

/** A proxy whose long-polls stay open until the test answers them, one at a time. */
function setup() {
  const a = makeJob({ id: 'a', phase: 'Running' });
  const fake = new FakeProxy().on('GET', 'api/v1/jobs/a', { status: 200, data: { job: a } }).install();
  const { answerPoll } = heldChanges(fake);
  const store = new LiveJobsStore(() => Promise.resolve());
  const relists = () => fake.calls('GET', 'api/v1/changes').filter(startsLoop).length;
  return {
    fake,
    store,
    answerPoll,
    relists,
  };
}

/** The loop's own state, as a view's hook reads it. */
const useLoop = (store: LiveJobsStore) => useSyncExternalStore(store.subscribe, store.getSnapshot);

describe('the live loop', () => {
  it("starts from since=now, with no jobs, then polls from each answer's cursor", async () => {
    const { fake, store, answerPoll, relists } = setup();
    const batches: JobChanges[] = [];
    const stop = store.onChanges((changes) => batches.push(changes));
    await waitFor(() => expect(store.getSnapshot().epoch).toBe(1));
    expect(store.getSnapshot().loading).toBe(false);

    const changed = makeJob({ id: 'a', phase: 'Succeeded' });
    await answerPoll({ status: 200, data: { cursor: 'c1', items: [changed], removed: [] } });

    await waitFor(() => expect(batches).toEqual([{ items: [changed], removed: [] }]));
    expect(relists()).toBe(1);
    const since = fake.calls('GET', 'api/v1/changes').map((r) => r.params?.since);
    expect(since).toEqual([SINCE_NOW, 'c0', 'c1']);
    stop();
  });

  it('starts over from since=now when the proxy answers 410 to the cursor', async () => {
    const { store, answerPoll, relists } = setup();
    const { result } = renderHook(() => useLoop(store));
    await waitFor(() => expect(result.current.epoch).toBe(1));

    await answerPoll(proxyError(410, 'cursor_expired', 'cursor expired'));

    await waitFor(() => expect(result.current.epoch).toBe(2));
    expect(relists()).toBe(2);
    expect(result.current.error).toBeUndefined();
  });

  it('exposes other errors and recovers on the next successful poll', async () => {
    const { store, answerPoll } = setup();
    const { result } = renderHook(() => useLoop(store));
    await waitFor(() => expect(result.current.loading).toBe(false));

    await answerPoll(proxyError(503, 'not_ready', 'cache not synced'));
    await waitFor(() => expect(result.current.error?.status).toBe(503));

    await answerPoll({ status: 200, data: { cursor: 'c1', items: [], removed: [] } });
    await waitFor(() => expect(result.current.error).toBeUndefined());
    expect(result.current.epoch).toBe(1);
  });

  it('stops polling once the last subscriber unmounts', async () => {
    const { fake, store, answerPoll, relists } = setup();
    const first = renderHook(() => useLoop(store));
    const second = renderHook(() => useLoop(store));
    await waitFor(() => expect(first.result.current.loading).toBe(false));
    expect(relists()).toBe(1);

    first.unmount();
    await answerPoll({ status: 200, data: { cursor: 'c1', items: [], removed: [] } });
    await waitFor(() => expect(fake.calls('GET', 'api/v1/changes')).toHaveLength(3));
    expect(store.running).toBe(true);

    second.unmount();
    await answerPoll({ status: 200, data: { cursor: 'c2', items: [], removed: [] } });
    expect(store.running).toBe(false);
    expect(fake.calls('GET', 'api/v1/changes')).toHaveLength(3);
  });
});

describe('following one job', () => {
  it('reads it once the loop has its cursor, then takes its changes and its removal from the loop', async () => {
    const { fake, store, answerPoll } = setup();
    const running = makeJob({ id: 'f', phase: 'Running' });
    fake.on('GET', 'api/v1/jobs/f', { status: 200, data: { job: running } });
    const { result } = renderHook(() => useLiveJob('f', store));
    await waitFor(() => expect(result.current.job).toEqual(running));
    expect(fake.calls('GET', 'api/v1/jobs/f')).toHaveLength(1);

    await answerPoll({ status: 200, data: { cursor: 'c1', items: [{ ...running, phase: 'Failed' }], removed: [] } });
    await waitFor(() => expect(result.current.job?.phase).toBe('Failed'));
    await answerPoll({ status: 200, data: { cursor: 'c2', items: [], removed: ['f'] } });
    await waitFor(() => expect(result.current.removed).toBe(true));
    expect(fake.calls('GET', 'api/v1/jobs/f')).toHaveLength(1);
  });

  it('reads it again when the loop starts over, and keeps a change that came after the read was sent', async () => {
    const { fake, store, answerPoll } = setup();
    const reads: Array<ReturnType<typeof deferred<Reply>>> = [];
    fake.on('GET', 'api/v1/jobs/f', () => {
      reads.push(deferred<Reply>());
      return reads.at(-1)!.promise;
    });
    const { result } = renderHook(() => useLiveJob('f', store));
    await waitFor(() => expect(reads).toHaveLength(1));
    const pending = makeJob({ id: 'f', phase: 'Pending' });
    await answerPoll({ status: 200, data: { cursor: 'c1', items: [{ ...pending, phase: 'Running' }], removed: [] } });
    await act(async () => reads[0].resolve({ status: 200, data: { job: pending } }));
    expect(result.current.job?.phase).toBe('Running');

    await answerPoll(proxyError(410, 'cursor_expired', 'cursor expired'));
    await waitFor(() => expect(reads).toHaveLength(2));
    await act(async () => reads[1].resolve({ status: 200, data: { job: { ...pending, phase: 'Succeeded' } } }));
    expect(result.current.job?.phase).toBe('Succeeded');
  });

  it('moves the epoch each time the loop starts from a new cursor, and sends each batch to its listeners', async () => {
    const { store, answerPoll } = setup();
    const batches: unknown[] = [];
    const stop = store.onChanges((changes) => batches.push(changes));
    await waitFor(() => expect(store.getSnapshot().epoch).toBe(1));
    await answerPoll({ status: 200, data: { cursor: 'c1', items: [], removed: ['x'] } });
    await waitFor(() => expect(batches).toEqual([{ items: [], removed: ['x'] }]));
    await answerPoll(proxyError(410, 'cursor_expired', 'cursor expired'));
    await waitFor(() => expect(store.getSnapshot().epoch).toBe(2));
    stop();
    expect(store.running).toBe(false);
  });
});

describe('useLiveJob', () => {
  it('follows one job and reports it removed', async () => {
    const { store, answerPoll } = setup();
    const { result } = renderHook(() => useLiveJob('a', store));
    await waitFor(() => expect(result.current.job?.phase).toBe('Running'));

    await answerPoll({ status: 200, data: { cursor: 'c1', items: [], removed: ['a'] } });
    await waitFor(() => expect(result.current.removed).toBe(true));
    expect(result.current.job).toBeUndefined();
  });

  it('reads a job by its id, and marks an unknown id removed', async () => {
    const { fake, store } = setup();
    fake.on('GET', 'api/v1/jobs/old', { status: 200, data: { job: makeJob({ id: 'old', phase: 'Failed' }) } });
    const old = renderHook(() => useLiveJob('old', store));
    await waitFor(() => expect(old.result.current.job?.phase).toBe('Failed'));

    const gone = renderHook(() => useLiveJob('gone', store));
    await waitFor(() => expect(gone.result.current.removed).toBe(true));
    expect(gone.result.current.loading).toBe(false);
  });
});
