import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_STREAM_LABELS, AUDIT_STREAM_SELECTOR, parseAuditLine } from '../../src/contract/audit.ts';

test('the selector is built from the two stream labels Fluent Bit sets', () => {
  assert.equal(AUDIT_STREAM_SELECTOR, '{app="flowkube-proxy", stream="audit"}');
  assert.deepEqual(AUDIT_STREAM_LABELS, { app: 'flowkube-proxy', stream: 'audit' });
});

test('an audit line parses to its event; access-log, torn and foreign lines are skipped', () => {
  const line =
    '{"audit":true,"eventId":"basic-bcdfg:finished","event":"finished","time":"2026-11-26T10:00:07.000Z",' +
    '"jobId":"basic-bcdfg"}';
  const e = parseAuditLine(line);
  assert.equal(e?.eventId, 'basic-bcdfg:finished');
  assert.equal(e?.event, 'finished');
  for (const other of [
    '{"level":30,"msg":"request completed","reqId":"req-1"}',
    '{"audit":true,"eventId":"x:finished","event":"finished"',
    '{"audit":"true","eventId":"x:finished","event":"finished","time":"2026-11-26T10:00:07.000Z"}',
    '{"audit":true,"eventId":"x:exploded","event":"exploded","time":"2026-11-26T10:00:07.000Z"}',
    '{"audit":true,"event":"finished","time":"2026-11-26T10:00:07.000Z"}',
    '[{"audit":true}]',
    'null',
    'plain text',
  ]) {
    assert.equal(parseAuditLine(other), undefined, other);
  }
});
