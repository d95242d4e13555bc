// `npm run typecheck`: every TypeScript program of the repository, checked by TypeScript 7 (the native compiler,
// installed as the `typescript-7` alias), about four times less CPU than TypeScript 5 on these machines.
// - TypeScript 5.9 stays the `typescript` package: typescript-eslint, ts-node (the webpack config) and
//   fork-ts-checker use its JavaScript API, which TypeScript 7 does not have.
// - Both packages ship a `tsc` bin, and which one node_modules/.bin/tsc points to depends on how npm installed the
//   tree, so this runs TypeScript 7 by its path, never a bare `tsc`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const pkg = require.resolve('typescript-7/package.json');
const { version } = require(pkg);
if (!version.startsWith('7.')) {
  console.error(`typescript-7 resolves to TypeScript ${version}; run npm ci`);
  process.exit(2);
}
const tsc = path.join(path.dirname(pkg), 'bin', 'tsc');

// The plugin's src/ is checked in the preview host's program, which imports most of it anyway.
const programs = ['tests/preview/host', 'pkg-backend-proxy', 'monitoring', 'tests'];
let failed = 0;
for (const program of programs) {
  const { status } = spawnSync(process.execPath, [tsc, '-p', program], { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`typecheck: ${program} has type errors (TypeScript ${version})`);
    failed += 1;
  }
}
process.exit(failed === 0 ? 0 : 1);
