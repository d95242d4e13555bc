// The proxy's test runner against files that end their worker mid-file: each such file is a failure that names it,
// the files after it still run (in a worker started in its place), and the run exits non-zero.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

const packageDir = resolve(import.meta.dirname, '../..');
const FIXTURES = 'test/support/runner-fixtures';
const RUN_CAP_MS = 55_000;

/**
 * The runner's exit code and output; a run that outlasts RUN_CAP_MS (a worker waited for for ever) fails here. A
 * run takes 5–20 s on a loaded 2-core machine (one took over 20 s during a clean-clone CI); two runs at the cap stay
 * inside the 120 s this file gets from the runner.
 */
function runTests(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['test/support/run-tests.ts', ...args],
      { cwd: packageDir, timeout: RUN_CAP_MS },
      (err, stdout, stderr) => {
        const out = stdout + stderr;
        if (err?.killed) {
          fail(new Error(`run-tests.ts ${args.join(' ')} did not end within ${RUN_CAP_MS / 1000} s:\n${out}`));
        } else {
          done({ code: typeof err?.code === 'number' ? err.code : err ? -1 : 0, out });
        }
      }
    );
  });
}

for (const workers of [1, 2]) {
  test(`with ${workers} worker(s), a worker that dies within a file fails that file and the run`, async () => {
    const { code, out } = await runTests([`--workers=${workers}`, FIXTURES]);
    assert.notEqual(code, 0, out);
    const failures = out.split('\n').filter((line) => line.startsWith('✖ worker '));
    for (const file of ['exits-zero.test.ts', 'killed.test.ts']) {
      assert.ok(
        failures.some((line) => line.includes(`${FIXTURES}/${file}`)),
        `${file} is not reported as failed:\n${out}`
      );
    }
    assert.match(out, new RegExp(`^✔ ${FIXTURES}/passes\\.test\\.ts \\(`, 'm'), 'the file that passes ran');
    assert.match(out, /^ℹ fail [2-9]$/m);
    assert.doesNotMatch(out, /^✖ not run/m);
  });
}
