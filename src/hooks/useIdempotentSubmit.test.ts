import { act, renderHook } from '@testing-library/react';
import { ApiError } from '../api/client';
import { deferred } from '../testing/fakeBackendSrv';
import { useIdempotentSubmit } from './useIdempotentSubmit';

const refused = new ApiError(400, 'bad_request', 'invalid params', [
  { field: 'params.sleepSeconds', message: 'must be <= 3600' },
  { field: 'schedule', message: 'not a cron expression' },
]);

describe('useIdempotentSubmit', () => {
  it('sends once while a submission is in flight, and hands back the same promise', async () => {
    const answer = deferred<string>();
    const send = jest.fn(() => answer.promise);
    const { result } = renderHook(() => useIdempotentSubmit<string>());
    let first!: Promise<string | undefined>;
    let second!: Promise<string | undefined>;
    act(() => {
      first = result.current.submit(send);
      second = result.current.submit(send);
    });
    expect(second).toBe(first);
    expect(send).toHaveBeenCalledTimes(1);
    expect(result.current.pending).toBe(true);
    await act(async () => {
      answer.resolve('done');
      expect(await first).toBe('done');
    });
    expect(result.current.pending).toBe(false);
    // Once it has settled, the next submit sends again.
    await act(async () => {
      await result.current.submit(send);
    });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('keeps the key across failed submissions of the same content, and makes a new one when it changes', async () => {
    const { result } = renderHook(() => useIdempotentSubmit<string>());
    const keys: string[] = [];
    const failWith = (content: string) => () => {
      keys.push(result.current.keyFor(content));
      return Promise.reject(new ApiError(0, 'network', 'Failed to fetch'));
    };
    await act(async () => {
      await result.current.submit(failWith('a'));
    });
    await act(async () => {
      await result.current.submit(failWith('a'));
    });
    await act(async () => {
      await result.current.submit(failWith('b'));
    });
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('drops the key after a success, so the same content sent again on purpose is a new request', async () => {
    const { result } = renderHook(() => useIdempotentSubmit<string>());
    const keys: string[] = [];
    const send = async () => {
      keys.push(result.current.keyFor('a'));
      return 'done';
    };
    await act(async () => {
      await result.current.submit(send);
    });
    await act(async () => {
      await result.current.submit(send);
    });
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('resolves a refusal to undefined, maps its fields, and clears them on reset or the next submit', async () => {
    const { result } = renderHook(() => useIdempotentSubmit<string>());
    let answer: unknown = 'not yet';
    await act(async () => {
      answer = await result.current.submit(() => Promise.reject(refused));
    });
    expect(answer).toBeUndefined();
    expect(result.current.error).toBe(refused);
    expect(result.current.fieldErrors).toEqual({ sleepSeconds: 'must be <= 3600', schedule: 'not a cron expression' });
    act(() => result.current.reset());
    expect(result.current.error).toBeUndefined();
    expect(result.current.fieldErrors).toEqual({});

    await act(async () => {
      await result.current.submit(() => Promise.reject(refused));
    });
    const next = deferred<string>();
    act(() => {
      void result.current.submit(() => next.promise);
    });
    expect(result.current.error).toBeUndefined();
    expect(result.current.fieldErrors).toEqual({});
    await act(async () => next.resolve('done'));
  });
});
