// The audit watermark (src/plugins/audit-watermark.ts): a replica that starts writes only the transitions after the
// newest one any replica wrote, kept on a Lease in the fake API. Each replica is closed before its events are read:
// closing waits for the watermark read and whatever it held back, so the lines are then complete.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { type FakeKube, startFakeKube } from '../../../tests/fake-kube/index.ts';
import { type AuditEvent, parseAuditLine } from '../../src/contract/audit.ts';
import { ANN_AUDIT_WATERMARK } from '../../src/labels.ts';
import { AUDIT_WATERMARK_LEASE } from '../../src/plugins/audit-watermark.ts';
import { type Built, build, waitFor } from '../helper.ts';

const NS = 'flowkube-jobs';
const MINUTE = 60_000;

let fake: FakeKube;
beforeEach(async () => {
  fake = await startFakeKube();
});
afterEach(() => fake.stop());

/** A replica whose audit lines land in `events`; margin 0 so that the tests' times need not be far apart. */
async function replica(events: AuditEvent[], marginMs = 0): Promise<Built> {
  return build({
    fake,
    deps: {
      auditSink: (line) => events.push(parseAuditLine(line)!),
      auditWatermark: { marginMs, intervalMs: 50 },
    },
  });
}

async function run(marginMs = 0): Promise<string[]> {
  const events: AuditEvent[] = [];
  const r = await replica(events, marginMs);
  await r.close();
  return jobEvents(events);
}

/** The job events by job (the list's order of jobs is the API's), each job's in the order written. */
const jobEvents = (events: AuditEvent[]) =>
  events
    .filter((e) => e.jobId)
    .sort((x, y) => x.jobId!.localeCompare(y.jobId!))
    .map((e) => e.eventId);
const watermark = () =>
  fake.leases(NS).find((l) => l.metadata.name === AUDIT_WATERMARK_LEASE)?.metadata.annotations?.[ANN_AUDIT_WATERMARK];
const ago = (ms: number) => new Date(Math.floor((Date.now() - ms) / 1000) * 1000);

function seed(prefix: string, createdAt: Date, phase: 'Succeeded' | 'Running' = 'Succeeded', finishedAt?: Date) {
  return fake.seedPods(1, { namePrefix: prefix, createdAt, phase, finishedAt })[0]!.metadata!.name!;
}

test('no watermark yet: every transition is written, and the newest is saved at shutdown', async () => {
  const done = seed('done-', ago(10 * MINUTE), 'Succeeded', ago(9 * MINUTE));
  const startedAt = ago(5 * MINUTE);
  const running = seed('running-', startedAt, 'Running');
  assert.equal(watermark(), undefined);
  assert.deepEqual(await run(), [
    `${done}:launched`,
    `${done}:started`,
    `${done}:finished`,
    `${running}:launched`,
    `${running}:started`,
  ]);
  assert.equal(watermark(), startedAt.toISOString());
});

test('a restart writes nothing when nothing happened while no replica ran, and exactly what did happen', async () => {
  const startedAt = ago(10 * MINUTE);
  const running = seed('running-', startedAt, 'Running');
  seed('old-', ago(20 * MINUTE), 'Succeeded', ago(19 * MINUTE));
  await run();
  assert.deepEqual(await run(), []);

  // while down: the running job ends, a new one runs and ends
  const endedAt = ago(2 * MINUTE);
  fake.setPodStatus(NS, running, {
    phase: 'Succeeded',
    containerStatuses: [
      {
        name: 'worker',
        image: 'worker',
        imageID: '',
        restartCount: 0,
        ready: false,
        started: false,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: endedAt } },
      },
    ],
  });
  const fresh = seed('fresh-', ago(4 * MINUTE), 'Succeeded', ago(3 * MINUTE));
  assert.deepEqual(await run(), [`${fresh}:launched`, `${fresh}:started`, `${fresh}:finished`, `${running}:finished`]);
  assert.equal(watermark(), endedAt.toISOString());
  // the margin widens what is written again: the transitions within it of the watermark (3 and 2 minutes ago)
  assert.deepEqual(await run(1.5 * MINUTE), [`${fresh}:finished`, `${running}:finished`]);
});

test('two replicas share the watermark: one that restarts skips what the other wrote meanwhile', async () => {
  const aEvents: AuditEvent[] = [];
  const bEvents: AuditEvent[] = [];
  const a = await replica(aEvents);
  const b = await replica(bEvents);
  try {
    const both = seed('both-', ago(6 * MINUTE), 'Succeeded', ago(5 * MINUTE));
    await waitFor('both replicas to write it', () =>
      [aEvents, bEvents].every((l) => l.some((e) => e.eventId === `${both}:finished`))
    );
    await b.close();
    // only a runs now
    const finishedAt = ago(3 * MINUTE);
    const onlyA = seed('only-a-', ago(4 * MINUTE), 'Succeeded', finishedAt);
    await waitFor('a to write it and save the watermark', () => watermark() === finishedAt.toISOString());
    assert.ok(aEvents.some((e) => e.eventId === `${onlyA}:finished`));
    assert.deepEqual(await run(), [], 'b again: everything was written by one of them');
  } finally {
    await b.close();
    await a.close();
  }
});

test('without the Lease (RBAC missing, or no answer) a replica writes everything, as before', async () => {
  const done = seed('done-', ago(10 * MINUTE), 'Succeeded', ago(9 * MINUTE));
  await run();
  assert.ok(watermark());
  fake.forbid('get', 'leases');
  fake.forbid('patch', 'leases');
  assert.deepEqual(await run(), [`${done}:launched`, `${done}:started`, `${done}:finished`]);
  fake.allow('get', 'leases');
  fake.failNext('get', { status: 500 }, 1, 'leases');
  assert.deepEqual(await run(), [`${done}:launched`, `${done}:started`, `${done}:finished`]);
});

test(
  'a hung API at shutdown does not hold the close: the watermark is then left unsaved',
  { timeout: 10_000 },
  async () => {
    seed('done-', ago(10 * MINUTE), 'Succeeded', ago(9 * MINUTE));
    const events: AuditEvent[] = [];
    const r = await build({
      fake,
      env: { FLOWKUBE_KUBE_TIMEOUT_MS: '120000' },
      deps: {
        auditSink: (line) => events.push(parseAuditLine(line)!),
        auditWatermark: { marginMs: 0, intervalMs: 60_000 },
      },
    });
    await waitFor('the job written', () => events.some((e) => e.event === 'finished'));
    // answered after the test's own timeout: a close that waited for it would fail the test
    fake.failNext('create', { delayMs: 12_000 }, 1, 'leases');
    await r.close();
    assert.equal(fake.requestCount('create', 'leases'), 1, 'the save was tried');
    assert.equal(watermark(), undefined);
  }
);
