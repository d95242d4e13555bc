// The scaffold's jsdom environment, loaded in each jest worker process outside the tests' sandbox, which is why the
// worker's exit is settled here.
//
// jest-worker ends a worker by removing its IPC listener and waiting for the process to exit by itself
// (jest-worker/build/workers/processChild.js); 500 ms later it kills it and prints "A worker process has failed to
// exit gracefully" (build/base/BaseWorkerPool.js). A probe of ours found the worker's event loop empty ~30–100 ms
// after the end message, with no timer, socket or listener left. The rest of the time went to Node's teardown of a
// natural exit: deleting the V8 isolate frees a 300–500 MB heap page by page (Heap::TearDown, thousands of munmap
// calls), which on a busy 2-core machine takes longer than the grace. process.exit() leaves that to the kernel.
// 'beforeExit' is emitted only once nothing is left to run, so a leaked timer or socket still keeps the worker
// alive and jest still reports it.
const { TestEnvironment } = require('jest-environment-jsdom');

const installed = Symbol.for('flowkube.exitOnceIdle');
if (!process[installed]) {
  process[installed] = true;
  // without an argument, so the code jest sets on 'exit' (a failed run's 1) is the one the process ends with
  process.once('beforeExit', () => process.exit());
}

module.exports = TestEnvironment;
