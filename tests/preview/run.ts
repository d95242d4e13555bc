// `npm run test:preview`: builds what every browser file serves ONCE, then runs the files against it. Each file
// building the host itself cost ~20 s of one core per file (webpack, even with its cache), and a rebuild of dist/
// while another file serves it would hand a browser a half-written bundle. The builds land in a folder of this run's
// own, so two runs at once never serve each other's files; the test files find it through PREVIEW_BUILD_DIR (spec.ts),
// and build their own copy when run alone.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildHost, GRAFANA_LINES, prebuiltHostDir, PREVIEW_BUILD_DIR } from './buildHost.ts';
import { ensurePluginBuilt, pluginDistDir } from './buildPlugin.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const files = process.argv.slice(2);
const buildDir = mkdtempSync(path.join(os.tmpdir(), 'flowkube-preview-run-'));
const cleanUp = () => rmSync(buildDir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(128 + os.constants.signals[signal]);
  });
}

const started = performance.now();
await ensurePluginBuilt();
const env: NodeJS.ProcessEnv = { ...process.env, [PREVIEW_BUILD_DIR]: buildDir };
if (!process.env.PREVIEW_PLUGIN_DIR) {
  // A snapshot: another engineer's `npm run build` during the run must not change what the browsers load.
  const plugin = path.join(buildDir, 'plugin');
  cpSync(pluginDistDir, plugin, { recursive: true });
  env.PREVIEW_PLUGIN_DIR = plugin;
}
for (const line of GRAFANA_LINES) {
  // A line that does not build (host13 not installed) is left out: its test file then builds it itself and fails
  // with the build's own message, as when run alone.
  await buildHost(prebuiltHostDir(buildDir, line), line).catch((err: Error) =>
    console.error(`preview host for Grafana ${line}.x did not build: ${err.message}`)
  );
}
console.log(`# preview builds ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${buildDir}`);

const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=1',
    '--test-timeout=600000',
    ...(files.length > 0 ? files : ['tests/preview/**/*.test.ts']),
  ],
  { cwd: repo, env, stdio: 'inherit' }
);
child.on('close', (code, signal) => {
  cleanUp();
  process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
});
