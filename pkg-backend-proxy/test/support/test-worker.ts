// One of the processes `run-tests.ts` starts (run it through `npm test`, not by hand). It takes test files from the
// shared queue one at a time and runs each in this process, inside a suite of its own: the file's top-level hooks
// then apply to that file's tests only, and the suite's timeout caps the file as `--test-timeout` capped a file that
// had a process to itself. Sharing a process pays Node's start-up (type stripping, fastify, client-node: about 3
// CPU-seconds) once per worker instead of once per file.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe } from 'node:test';

import type { WorkerPlan } from './run-tests.ts';

function readPlan(): WorkerPlan {
  const path = process.argv[2];
  if (!path) {
    throw new Error('test-worker.ts runs a plan that test/support/run-tests.ts writes: run the tests with `npm test`');
  }
  return JSON.parse(readFileSync(path, 'utf8')) as WorkerPlan;
}

/** Creating the claim file is atomic (`wx`), so exactly one worker gets each file; the pid says which. */
function claim(plan: WorkerPlan, index: number): boolean {
  try {
    const fd = openSync(join(plan.claims, String(index)), 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  }
}

// Run directly (`node test-worker.ts plan.json`, not `node --test`), so that node:test runs each suite as soon as it
// is declared: under `--test` no test starts before this module has finished loading, and it loads until the queue is
// empty.
const plan = readPlan();
const packageDir = resolve(import.meta.dirname, '../..');
// require() of an ES module (Node >= 22.12) runs the file's top level synchronously inside describe()'s callback,
// which is what attaches its tests and hooks to that suite; import() would run it later, at the root.
const load = createRequire(import.meta.url);
for (let index = 0; index < plan.files.length; index++) {
  const file = plan.files[index]!;
  if (claim(plan, index)) {
    await describe(file, { timeout: plan.timeoutMs }, () => {
      load(resolve(packageDir, file));
    });
  }
}
// node:test prints its summary once nothing is left to run; a handle a test left open (a server, an interval) would
// keep this process, and `npm test`, waiting for ever.
setTimeout(() => {
  const open = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
  console.error(`✖ the test files of this worker left handles open after their tests ended: ${open.join(', ')}`);
  process.exit(1);
}, plan.exitGraceMs).unref();
