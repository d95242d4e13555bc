import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseAuditLine } from '../../src/contract/audit.ts';
import { appendingSink } from '../../src/plugins/audit.ts';
import { build, launchJob, waitFor } from '../helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowkube-audit-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('FLOWKUBE_AUDIT_FILE gets every audit line the proxy writes, appended, and stdout still gets them', async () => {
  const file = join(dir, 'audit.log');
  // a restart appends: what an earlier run wrote stays for the shipper that tails the file
  writeFileSync(file, '{"audit":true,"eventId":"earlier:launched"}\n');
  const passed: string[] = [];
  const built = await build({ deps: { auditSink: appendingSink(file, (line) => passed.push(line)) } });
  try {
    const id = (await launchJob(built.app, 'basic', { message: 'to the file', sleepSeconds: 0 })).json().job.id;
    await waitFor('the job to finish', () => passed.some((l) => parseAuditLine(l)?.eventId === `${id}:finished`));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines[0], '{"audit":true,"eventId":"earlier:launched"}');
    assert.deepEqual(
      lines.slice(1),
      passed.map((l) => l.slice(0, -1))
    );
    assert.ok(lines.some((l) => parseAuditLine(l)?.eventId === `${id}:launched`));
  } finally {
    await built.close();
  }
});

test('a file the proxy cannot open stops it at start, naming the variable and the path', () => {
  const path = join(dir, 'missing', 'audit.log');
  assert.throws(() => appendingSink(path), {
    message: `FLOWKUBE_AUDIT_FILE: cannot open ${path} for appending (ENOENT)`,
  });
});

test('a write that fails later is reported once per cause, and the line still reaches stdout', (t) => {
  const errors: string[] = [];
  t.mock.method(process.stderr, 'write', (text: string) => errors.push(text));
  const passed: string[] = [];
  // /dev/full opens fine and refuses every write with ENOSPC, as a full disk does
  const sink = appendingSink('/dev/full', (line) => passed.push(line));
  sink('{"audit":true}\n');
  sink('{"audit":true}\n');
  assert.equal(passed.length, 2);
  assert.deepEqual(errors, ['flowkube-proxy: FLOWKUBE_AUDIT_FILE: cannot append to /dev/full (ENOSPC)\n']);
});
