// `npm run test:preview`: builds what every browser file serves ONCE, then runs the files against it. Each file
// building the host itself cost ~20 s of one core per file (webpack, even with its cache), and a rebuild of dist/
// while another file serves it would hand a browser a half-written bundle. The builds land in a folder of this run's
// own, so two runs at once never serve each other's files; the test files find it through PREVIEW_BUILD_DIR (spec.ts),
// and build their own copy when run alone.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GRAFANA_LINES, prebuiltHostDir, PREVIEW_BUILD_DIR, type GrafanaLine } from './buildHost.ts';
import { ensurePluginBuilt, pluginDistDir } from './buildPlugin.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const files = process.argv.slice(2);
// Two files at once: each stack, Grafana stand-in and browser listens on a port of its own, screenshots have distinct
// names, and while one file waits on a worker or a page the other has the CPU. PREVIEW_TEST_CONCURRENCY=1 runs them
// one by one (to read one file's output alone, or on a single core).
const concurrency = Number(process.env.PREVIEW_TEST_CONCURRENCY ?? 2);
const buildDir = mkdtempSync(path.join(os.tmpdir(), 'flowkube-preview-run-'));
const cleanUp = () => rmSync(buildDir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(128 + os.constants.signals[signal]);
  });
}

const started = performance.now();
const env: NodeJS.ProcessEnv = { ...process.env, [PREVIEW_BUILD_DIR]: buildDir };
async function preparePlugin() {
  await ensurePluginBuilt();
  if (!process.env.PREVIEW_PLUGIN_DIR) {
    // A snapshot: another engineer's `npm run build` during the run must not change what the browsers load.
    const plugin = path.join(buildDir, 'plugin');
    cpSync(pluginDistDir, plugin, { recursive: true });
    env.PREVIEW_PLUGIN_DIR = plugin;
  }
}
/** One line's host, in a process of its own: webpack keeps one core busy, so the lines build side by side. */
const buildLine = (line: GrafanaLine) =>
  new Promise<void>((resolve) => {
    const args = [path.join(import.meta.dirname, 'buildHost.ts'), line, prebuiltHostDir(buildDir, line)];
    const build = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    build.stderr.on('data', (chunk) => (errors += chunk));
    build.on('close', (code) => {
      // A line that does not build (host13 not installed) is left out: its test file then builds it itself and
      // fails with the build's own message, as when run alone.
      if (code !== 0) {
        console.error(`preview host for Grafana ${line}.x did not build:\n${errors.slice(-4000)}`);
      }
      resolve();
    });
  });
await Promise.all([preparePlugin(), ...GRAFANA_LINES.map(buildLine)]);
console.log(`# preview builds ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${buildDir}`);

const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=600000',
    ...(files.length > 0 ? files : ['tests/preview/**/*.test.ts']),
  ],
  { cwd: repo, env, stdio: 'inherit' }
);
child.on('close', (code, signal) => {
  cleanUp();
  process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
});
