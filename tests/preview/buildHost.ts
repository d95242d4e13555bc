// Bundles the preview host (tests/preview/host) with the REAL react, @grafana/* and friends from node_modules.
// A filesystem cache keeps rebuilds after the first one to a few seconds.
import { createRequire } from 'node:module';
import path from 'node:path';
import webpack, { type Configuration } from 'webpack';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const repo = path.resolve(here, '../..');

/** Where `node tests/preview/buildHost.ts` puts it; test runs build into a folder of their own. */
export const defaultHostOutputDir = path.join(repo, 'tests/artifacts/preview-host');

function hostConfig(outputDir: string): Configuration {
  return {
    mode: 'production',
    devtool: false,
    context: here,
    entry: { host: ['./host/bootData.ts', './host/main.tsx'] },
    output: { path: outputDir, filename: '[name].js', chunkFilename: '[name].[contenthash].js', clean: true },
    cache: { type: 'filesystem', cacheDirectory: path.join(repo, 'node_modules/.cache/flowkube-preview-host') },
    optimization: { minimize: false },
    performance: { hints: false },
    resolve: {
      extensions: ['.tsx', '.ts', '.mjs', '.js'],
      alias: {
        'grafana-runtime-plugin-page': path.join(
          path.dirname(require.resolve('@grafana/runtime/package.json')),
          'dist/esm/components/PluginPage.mjs'
        ),
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

export function buildHost(outputDir: string = defaultHostOutputDir): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack(hostConfig(outputDir), (err, stats) => {
      if (err || !stats || stats.hasErrors()) {
        reject(err ?? new Error(stats?.toString({ all: false, errors: true, errorDetails: true }) ?? 'no stats'));
        return;
      }
      resolve();
    });
  });
}

if (import.meta.main) {
  await buildHost();
  console.log(`preview host built into ${defaultHostOutputDir}`);
}
