import { dateTime } from '@grafana/data';
import { jobEvents } from '../testing/auditEvents';
import { auditLines, installLoki, lokiLogFrame } from '../testing/lokiFrames';
import { queryAuditEvents } from './historySource';

const range = {
  from: dateTime('2026-11-26T00:00:00Z'),
  to: dateTime('2026-11-27T00:00:00Z'),
  raw: { from: 'now-24h', to: 'now' },
};
const e = jobEvents();
const events = [e.launched, e.started(), e.finished({ phase: 'Succeeded', exitCode: 0 })];

describe('queryAuditEvents', () => {
  it.each([false, true])('reads the audit events out of Loki’s log frames (dataplane %s)', async (dataplane) => {
    const access = { line: 'incoming request GET /api/v1/jobs', tsNs: '1764194400000000000' };
    const { requests } = installLoki('loki-uid', () => ({
      frames: [lokiLogFrame([...auditLines(events), access], { dataplane })],
    }));
    const result = await queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{app="x"}', range, maxLines: 100 });
    expect(result.events.map((x) => x.eventId).sort()).toEqual(events.map((x) => x.eventId).sort());
    expect(result.truncated).toBe(false);
    expect(requests).toHaveLength(1);
    expect(requests[0].targets).toEqual([
      {
        refId: 'A',
        datasource: { type: 'loki', uid: 'loki-uid' },
        expr: '{app="x"}',
        queryType: 'range',
        maxLines: 100,
      },
    ]);
    expect(requests[0].range).toBe(range);
  });

  it('says the answer was cut when Loki returned as many lines as asked for', async () => {
    installLoki('loki-uid', () => ({ frames: [lokiLogFrame(auditLines(events))] }));
    const result = await queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{app="x"}', range, maxLines: 3 });
    expect(result.truncated).toBe(true);
  });

  it('rejects with Loki’s own message when the query fails', async () => {
    installLoki('loki-uid', () => ({ status: 400, error: 'parse error at line 1, col 5: syntax error' }));
    await expect(queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{', range, maxLines: 100 })).rejects.toThrow(
      'parse error at line 1, col 5: syntax error'
    );
  });

  it('rejects when the configured data source does not exist', async () => {
    installLoki('other', () => ({ frames: [] }));
    await expect(
      queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{app="x"}', range, maxLines: 100 })
    ).rejects.toThrow(/loki-uid was not found/);
  });
});
