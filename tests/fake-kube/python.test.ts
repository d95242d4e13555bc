import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'flowkube-python-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const calls = join(dir, 'calls.log');
const binary = join(dir, 'real-python');
const module = new URL('./python.ts', import.meta.url).href;

/** A shim that notes each call and names `binary` as its interpreter (or fails, when `fails` is set). */
function shim(name: string, fails = false): string {
  const path = join(dir, name);
  const answer = fails ? 'exit 3' : `echo ${binary}`;
  writeFileSync(path, `#!/bin/sh\necho "$@" >> ${calls}\n${answer}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** resolvePython in a process of its own, as each test file is: the in-process memo cannot answer for it. */
function resolveInNewProcess(python: string): string {
  const script = `const { resolvePython } = await import(${JSON.stringify(module)}); console.log(await resolvePython(${JSON.stringify(python)}));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: { ...process.env, TMPDIR: join(dir, 'tmp') },
    encoding: 'utf8',
  }).trim();
}

const callCount = () => readFileSync(calls, 'utf8').split('\n').filter(Boolean).length;

test('the shim is asked once for many test processes, and again once its answer is gone', () => {
  execFileSync('mkdir', [join(dir, 'tmp')]);
  writeFileSync(calls, '');
  writeFileSync(binary, '');
  const python = shim('python3');
  assert.equal(resolveInNewProcess(python), binary);
  assert.equal(resolveInNewProcess(python), binary);
  assert.equal(callCount(), 1);
  rmSync(binary);
  assert.equal(resolveInNewProcess(python), binary);
  assert.equal(callCount(), 2);
});

test('a failing shim leaves the name as given and is not remembered', () => {
  writeFileSync(calls, '');
  const broken = shim('broken-python', true);
  assert.equal(resolveInNewProcess(broken), broken);
  assert.equal(resolveInNewProcess(broken), broken);
  assert.equal(callCount(), 2);
});
