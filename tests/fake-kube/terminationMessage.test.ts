import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MAX_LOG_BYTES, MAX_MESSAGE_BYTES, TerminationFile, terminationMessage } from './terminationMessage.ts';

const base = { file: Buffer.alloc(0), policy: 'File', exitCode: 1, reason: 'Error', logLines: ['a\n', 'b\n'] };

describe('the kubelet termination message', () => {
  it('is the file when the container wrote one, whatever the policy', () => {
    const file = Buffer.from('upstream refused');
    assert.equal(terminationMessage({ ...base, file }), 'upstream refused');
    assert.equal(terminationMessage({ ...base, file, policy: 'FallbackToLogsOnError' }), 'upstream refused');
  });

  it('keeps the last 4096 bytes of a longer file', () => {
    const file = Buffer.from('x'.repeat(5000) + 'END');
    const message = terminationMessage({ ...base, file });
    assert.equal(message.length, MAX_MESSAGE_BYTES);
    assert.ok(message.endsWith('END'));
  });

  it('is empty for an empty file with the File policy', () => {
    assert.equal(terminationMessage(base), '');
  });

  it('falls back to the last 80 log lines, at most 2048 bytes, on a failure with FallbackToLogsOnError', () => {
    const logLines = Array.from({ length: 100 }, (_, i) => `line ${i}\n`);
    const message = terminationMessage({ ...base, policy: 'FallbackToLogsOnError', logLines });
    assert.ok(message.startsWith('line 20\n'), message.slice(0, 20));
    assert.ok(message.endsWith('line 99\n'));
    const long = Array.from({ length: 80 }, (_, i) => `${String(i).padStart(4, '0')} ${'y'.repeat(60)}\n`);
    const cut = terminationMessage({ ...base, policy: 'FallbackToLogsOnError', logLines: long });
    assert.equal(Buffer.byteLength(cut), MAX_LOG_BYTES);
    assert.ok(cut.endsWith(long[79]!));
  });

  it('does not fall back on success or when the container never started', () => {
    const policy = 'FallbackToLogsOnError';
    assert.equal(terminationMessage({ ...base, policy, exitCode: 0, reason: 'Completed' }), '');
    assert.equal(terminationMessage({ ...base, policy, exitCode: 128, reason: 'StartError' }), '');
  });

  it('provides an empty file before the process starts and removes it once collected', () => {
    const file = new TerminationFile();
    assert.equal(existsSync(file.path), true);
    writeFileSync(file.path, 'why');
    assert.equal(file.collect().toString(), 'why');
    assert.equal(existsSync(file.path), false);
  });
});
