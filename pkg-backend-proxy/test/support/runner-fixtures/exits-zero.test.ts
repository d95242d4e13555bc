// A test that ends its process with code 0 in the middle of the file, as a stray process.exit() in code under test
// would: the runner must not read the silence as a pass.
import { test } from 'node:test';

test('ends the worker with code 0', () => {
  process.exit(0);
});

test('never runs', () => {});
