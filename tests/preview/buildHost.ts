// Bundles the preview host (tests/preview/host) with the REAL react, @grafana/* and friends from node_modules:
// Grafana 12.4's from the repository's own, or Grafana 13.x's (and the React 19 it ships) from
// tests/preview/host13/node_modules. A filesystem cache keeps rebuilds after the first one to a few seconds.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webpack, { type Configuration } from 'webpack';

const here = import.meta.dirname;
const repo = path.resolve(here, '../..');

/** The Grafana lines whose runtime packages a host can be built with. */
export const GRAFANA_LINES = ['12', '13'] as const;
export type GrafanaLine = (typeof GRAFANA_LINES)[number];

/** The variable run.ts passes the folder of the run's builds in. */
export const PREVIEW_BUILD_DIR = 'PREVIEW_BUILD_DIR';

/** Where run.ts puts one line's host inside the run's build folder. */
export const prebuiltHostDir = (buildDir: string, grafana: GrafanaLine) => path.join(buildDir, `host-${grafana}`);

/** Where each line's packages are installed (12: the repository's dependencies; 13: host13/package.json). */
const modulesOf: Record<GrafanaLine, string> = {
  '12': path.join(repo, 'node_modules'),
  '13': path.join(here, 'host13/node_modules'),
};

/** What Grafana itself provides at runtime, so what must all come from the one line being tested. */
const GRAFANA_PROVIDED = [
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/schema',
  '@grafana/i18n',
  '@grafana/e2e-selectors',
  'react',
  'react-dom',
  'i18next',
  '@emotion/css',
  '@emotion/react',
];

/** Where `node tests/preview/buildHost.ts` puts it; test runs build into a folder of their own. */
export const defaultHostOutputDir = path.join(repo, 'tests/artifacts/preview-host');

type Exports = string | null | Exports[] | { [condition: string]: Exports };

/** The file a package's `exports` entry gives a browser bundle (conditions in webpack's order for a web build). */
function exportTarget(entry: Exports): string | undefined {
  if (typeof entry === 'string' || entry === null) {
    return entry ?? undefined;
  }
  if (Array.isArray(entry)) {
    return entry.map(exportTarget).find(Boolean);
  }
  for (const condition of ['browser', 'import', 'module', 'default']) {
    if (condition in entry) {
      const target = exportTarget(entry[condition]!);
      if (target) {
        return target;
      }
    }
  }
  return undefined;
}

/**
 * Exact aliases (`name$`, `name/sub$`) to one installation's files, so that every import of a package Grafana
 * provides, from the host or from any library, gets the same copy (one React, one i18next, one @grafana/data).
 */
function exactAliases(modules: string, name: string): Record<string, string> {
  const dir = path.join(modules, name);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: Exports };
  const exports = manifest.exports;
  if (!exports || typeof exports !== 'object' || Array.isArray(exports)) {
    throw new Error(`${name} in ${modules} has no exports map to alias`);
  }
  const aliases: Record<string, string> = {};
  for (const [key, entry] of Object.entries(exports)) {
    const target = key.includes('*') || key === './package.json' ? undefined : exportTarget(entry);
    if (target) {
      aliases[`${name}${key.slice(1)}$`] = path.join(dir, target);
    }
  }
  return aliases;
}

export function grafanaVersionOf(grafana: GrafanaLine): string {
  const manifest = path.join(modulesOf[grafana], '@grafana/runtime/package.json');
  if (!existsSync(manifest)) {
    throw new Error(
      `Grafana ${grafana}.x packages are not installed: run npm ci --prefix tests/preview/host13 (as .ci/run does)`
    );
  }
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function hostConfig(outputDir: string, grafana: GrafanaLine): Configuration {
  const modules = modulesOf[grafana];
  const provided = grafana === '12' ? {} : Object.assign({}, ...GRAFANA_PROVIDED.map((n) => exactAliases(modules, n)));
  if (grafana === '13') {
    // @grafana/ui 13 keeps react-router-dom 5 among its dependencies, so npm hoists react-router 5, while its Link
    // (through react-router-dom-v5-compat) and the app's Router are react-router 6: Grafana shares the one v6 copy
    // with plugins and its own UI. Without this alias Link finds no Router ("Cannot destructure 'basename'").
    provided['react-router$'] = path.join(modules, 'react-router-dom-v5-compat/node_modules/react-router');
  }
  return {
    mode: 'production',
    devtool: false,
    context: here,
    entry: { host: ['./host/bootData.ts', './host/main.tsx'] },
    output: { path: outputDir, filename: '[name].js', chunkFilename: '[name].[contenthash].js', clean: true },
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(repo, 'node_modules/.cache/flowkube-preview-host'),
      name: `grafana-${grafana}`,
      // A change to this file (aliases above all) must not be served from a cache made without it.
      buildDependencies: { config: [import.meta.filename] },
    },
    optimization: { minimize: false },
    performance: { hints: false },
    plugins: [new webpack.DefinePlugin({ PREVIEW_GRAFANA_VERSION: JSON.stringify(grafanaVersionOf(grafana)) })],
    resolve: {
      extensions: ['.tsx', '.ts', '.mjs', '.js'],
      alias: {
        ...provided,
        'grafana-runtime-plugin-page': path.join(modules, '@grafana/runtime/dist/esm/components/PluginPage.mjs'),
      },
      // Node built-ins some dependencies mention but never use in a browser (Grafana's own build does the same).
      fallback: { fs: false, path: false, stream: false, http: false, https: false, buffer: false, util: false },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          include: path.join(here, 'host'),
          use: {
            loader: 'swc-loader',
            options: { jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true } } },
          },
        },
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(png|jpe?g|gif|svg|woff2?|ttf|eot)$/, type: 'asset/resource' },
      ],
    },
  };
}

export function buildHost(outputDir: string = defaultHostOutputDir, grafana: GrafanaLine = '12'): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack(hostConfig(outputDir, grafana), (err, stats) => {
      if (err || !stats || stats.hasErrors()) {
        reject(err ?? new Error(stats?.toString({ all: false, errors: true, errorDetails: true }) ?? 'no stats'));
        return;
      }
      resolve();
    });
  });
}

/**
 * The host a test file serves: the one run.ts built for the whole run, or else a build of the file's own in a fresh
 * folder (so two runs at once never serve each other's half-written bundle), which `release` removes.
 */
export async function hostForTests(grafana: GrafanaLine): Promise<{ dir: string; release(): void }> {
  const buildDir = process.env[PREVIEW_BUILD_DIR];
  if (buildDir && existsSync(path.join(prebuiltHostDir(buildDir, grafana), 'host.js'))) {
    return { dir: prebuiltHostDir(buildDir, grafana), release: () => undefined };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowkube-preview-host-'));
  const release = () => rmSync(dir, { recursive: true, force: true });
  try {
    await buildHost(dir, grafana);
  } catch (err) {
    release();
    throw err;
  }
  return { dir, release };
}

if (import.meta.main) {
  // node tests/preview/buildHost.ts [12|13] [output dir]
  const outputDir = process.argv[3] ? path.resolve(process.argv[3]) : defaultHostOutputDir;
  await buildHost(outputDir, process.argv[2] === '13' ? '13' : '12');
  console.log(`preview host built into ${outputDir}`);
}
