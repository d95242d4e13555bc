import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeWaiters } from '../src/change-waiters.ts';

const LONG_MS = 60_000;

/** 'ended' when `wait` settles within a short deadline, 'pending' otherwise. */
async function settlesSoon(wait: Promise<void>): Promise<'ended' | 'pending'> {
  return Promise.race([wait.then(() => 'ended' as const), sleep(1000).then(() => 'pending' as const)]);
}

test('a wait ends at the next wake, not at its timeout; with no wake, at its timeout', async () => {
  const w = new ChangeWaiters();
  const first = w.wait(LONG_MS);
  w.wake();
  assert.equal(await settlesSoon(first), 'ended');
  const second = w.wait(50);
  const timedOut = await settlesSoon(second);
  assert.equal(timedOut, 'ended', 'a wait with no wake ends at its own timeout');
});

test('an aborted request ends its wait; one already aborted does not wait at all', async () => {
  const w = new ChangeWaiters();
  const gone = new AbortController();
  const waiting = w.wait(LONG_MS, gone.signal);
  gone.abort();
  assert.equal(await settlesSoon(waiting), 'ended');
  assert.equal(await settlesSoon(w.wait(LONG_MS, gone.signal)), 'ended');
});

test('close ends every wait and later waits return at once', async () => {
  const w = new ChangeWaiters();
  const waits = [w.wait(LONG_MS), w.wait(LONG_MS)];
  w.close();
  assert.deepEqual(await Promise.all(waits.map(settlesSoon)), ['ended', 'ended']);
  assert.equal(await settlesSoon(w.wait(LONG_MS)), 'ended');
});

test('without wake, abort or close a wait stays pending', async () => {
  const w = new ChangeWaiters();
  const gone = new AbortController();
  assert.equal(await settlesSoon(w.wait(LONG_MS, gone.signal)), 'pending');
  gone.abort();
});
