// The browser test mounts the plugin as `npm run build` ships it (dist/); it rebuilds when dist/ is missing or
// older than any file under src/, so a test run never exercises stale pages.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
/** PREVIEW_PLUGIN_DIR points the test at a plugin built elsewhere (e.g. a packaged release); it is then not rebuilt. */
export const pluginDistDir = process.env.PREVIEW_PLUGIN_DIR
  ? path.resolve(process.env.PREVIEW_PLUGIN_DIR)
  : path.join(repo, 'dist');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

export function pluginBuildIsStale(): boolean {
  const module = path.join(pluginDistDir, 'module.js');
  let built: number;
  try {
    built = statSync(module).mtimeMs;
  } catch {
    return true;
  }
  return built < newestMtimeMs(path.join(repo, 'src'));
}

/** The same webpack production build as the first half of `npm run build`. */
export function buildPlugin(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['webpack', '-c', './webpack.config.ts', '--env', 'production'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`plugin build failed (exit ${code}):\n${output.slice(-4000)}`))
    );
  });
}

export async function ensurePluginBuilt(): Promise<void> {
  if (!process.env.PREVIEW_PLUGIN_DIR && pluginBuildIsStale()) {
    await buildPlugin();
  }
}
