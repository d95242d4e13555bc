import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startScriptNodeArgs } from '../bench/lib/proxy-child.ts';

test("the image runs the server with npm start's node flags, which the benchmark measures", () => {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  assert.ok(cmd, 'the Dockerfile has an exec-form CMD');
  const argv = JSON.parse(cmd[1]!) as string[];
  assert.equal(argv[0], 'node');
  assert.equal(argv.at(-1), 'dist/server.js');
  assert.deepEqual(argv.slice(1, -1), startScriptNodeArgs());
  assert.ok(startScriptNodeArgs().includes('--max-semi-space-size=8'));
});
