// The launcher panel a job came from (`source`) in its audit events, and in a refused launch's event only when valid.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { rejectedEvent, transitions } from '../../src/audit.ts';
import { type AuditEvent, parseAuditLine } from '../../src/contract/audit.ts';
import type { Job } from '../../src/schemas/index.ts';
import { type Built, build, launch, waitFor } from '../helper.ts';

const SOURCE = { dashboardUid: 'ops-board', panelId: 7, title: 'Ops / Reindex' };
const job = (over: Partial<Job> = {}): Job => ({
  id: 'basic-bcdfg',
  template: 'basic',
  params: {},
  phase: 'Succeeded',
  launchedBy: 'alice',
  createdAt: '2026-11-26T10:00:00.000Z',
  startedAt: '2026-11-26T10:00:02.000Z',
  finishedAt: '2026-11-26T10:00:07.000Z',
  schedule: null,
  source: SOURCE,
  ...over,
});

test('every event of a job launched from a panel names the panel; a job from elsewhere has no source', () => {
  const events = transitions(undefined, job());
  assert.deepEqual(
    events.map((e) => [e.event, e.source]),
    [
      ['launched', SOURCE],
      ['started', SOURCE],
      ['finished', SOURCE],
    ]
  );
  assert.ok(transitions(undefined, job({ source: null })).every((e) => !('source' in e)));
});

test('a refused launch quotes its source only when the launch API would take it', () => {
  const refused = (source: unknown) =>
    rejectedEvent({
      body: { template: 'basic', source },
      launchedBy: 'bob',
      reason: 'invalid',
      status: 400,
      message: 'no',
    });
  assert.deepEqual(refused(SOURCE).source, SOURCE);
  assert.deepEqual(refused({ dashboardUid: 'ops-board', panelId: 0 }).source, {
    dashboardUid: 'ops-board',
    panelId: 0,
  });
  for (const bad of [
    { dashboardUid: 'bad uid!', panelId: 1 },
    { dashboardUid: 'ops-board', panelId: -1 },
    { dashboardUid: 'ops-board', panelId: 1.5 },
    { dashboardUid: 'ops-board', panelId: '7' },
    { dashboardUid: 'ops-board', panelId: 7, title: 'x'.repeat(201) },
    { dashboardUid: 'ops-board', panelId: 7, extra: 'no' },
    'ops-board',
    [SOURCE],
  ]) {
    assert.equal(refused(bad).source, undefined, JSON.stringify(bad));
  }
});

let t: Built;
const events: AuditEvent[] = [];
before(async () => {
  t = await build({
    deps: {
      auditSink: (line: string) => {
        const e = parseAuditLine(line.trimEnd());
        if (e) {
          events.push(e);
        }
      },
    },
  });
});
after(() => t.close());

test('a launch from a panel writes a launched event naming the panel, as the Pod records it', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, 'x-grafana-user': 'alice' },
    payload: { template: 'basic', params: {}, source: SOURCE },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id: string = res.json().job.id;
  const launched = await waitFor('the launched event', () => events.find((e) => e.eventId === `${id}:launched`));
  assert.deepEqual(launched.source, SOURCE);
});
