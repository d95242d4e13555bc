// What Grafana's plugin validator checks in the catalog metadata, since the validator itself (a Go binary from
// GitHub) cannot be downloaded here: plugin.json fields, the files it points at, README, CHANGELOG and LICENSE.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  grafanaPeerRequirements,
  lowestVersion,
  metadataProblems,
  nestedIncludeProblems,
  peerDependencyProblems,
  type PluginJson,
  pluginJsonFiles,
  readmeProblems,
} from './lib/plugin-metadata.ts';

// sha256 of templates/common/src/img/logo.svg (and the identical templates/scenes-app one) in the npm package
// @grafana/create-plugin 7.1.7, the logo every scaffold starts with; FlowKube shipped it until 0.1.0.
const CREATE_PLUGIN_TEMPLATE_LOGO_SHA256 = '1defc6f7e585c67657bcfd8fddc599ee7dfa82f8674413f49fa274c2cd453ec6';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src');

describe('plugin catalog metadata', () => {
  const files = pluginJsonFiles(src);

  test('the app plugin.json is there, and nested plugins are found', () => {
    assert.ok(files.includes(join(src, 'plugin.json')));
  });

  for (const path of files) {
    test(`${relative(root, path)} has what the catalog needs`, () => {
      const plugin = JSON.parse(readFileSync(path, 'utf8')) as PluginJson;
      assert.deepEqual(metadataProblems(plugin, dirname(path)), []);
    });
  }

  test('every nested plugin.json is declared in the app includes by its path, as the validator matches it', () => {
    assert.ok(files.length > 1, 'the launcher panel plugin.json is found');
    assert.deepEqual(nestedIncludeProblems(src), []);
  });

  test("grafanaDependency is the same in every plugin.json and not below any bundled package's Grafana peer", () => {
    const declared = files.map(
      (f) => (JSON.parse(readFileSync(f, 'utf8')) as PluginJson).dependencies?.grafanaDependency
    );
    assert.equal(new Set(declared).size, 1, `plugin.json files disagree: ${declared.join(', ')}`);
    const peers = grafanaPeerRequirements(root);
    assert.ok(
      peers.some((p) => p.from.startsWith('@grafana/scenes@')),
      'the walk reached @grafana/scenes and its peers'
    );
    assert.deepEqual(peerDependencyProblems(declared[0]!, peers), []);
  });

  test('src/README.md names the same minimum Grafana version as plugin.json', () => {
    const plugin = JSON.parse(readFileSync(join(src, 'plugin.json'), 'utf8')) as PluginJson;
    const [major, minor] = lowestVersion(plugin.dependencies!.grafanaDependency!);
    assert.match(readFileSync(join(src, 'README.md'), 'utf8'), new RegExp(`Grafana ${major}\\.${minor} or later`));
  });

  test("the logos are FlowKube's own SVGs, not create-plugin's template logo", () => {
    const logos = new Map<string, string>();
    for (const path of files) {
      const plugin = JSON.parse(readFileSync(path, 'utf8')) as PluginJson;
      for (const logo of [plugin.info.logos?.small, plugin.info.logos?.large]) {
        const file = join(dirname(path), logo!);
        logos.set(relative(root, file), readFileSync(file, 'utf8'));
      }
    }
    assert.equal(logos.size, 2, 'one logo for the app, one for the panel');
    for (const [file, svg] of logos) {
      assert.notEqual(sha256(svg), CREATE_PLUGIN_TEMPLATE_LOGO_SHA256, `${file} is the create-plugin template's logo`);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="[\d. ]+"/, `${file} is an SVG`);
      assert.match(svg, /<title[^>]*>FlowKube[^<]*<\/title>/, `${file} names FlowKube in its title`);
    }
    assert.equal(new Set(logos.values()).size, 2, 'the app and the panel have different logos');
  });

  test('src/README.md is a real catalog page', () => {
    assert.deepEqual(readmeProblems(readFileSync(join(src, 'README.md'), 'utf8')), []);
  });

  test('CHANGELOG.md has an entry for the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`^## \\[?${version.replaceAll('.', '\\.')}\\]?`, 'm'));
    assert.ok(changelog.length > 300, 'CHANGELOG.md is too thin to tell what changed');
  });

  test('LICENSE is the Apache License 2.0, as package.json declares', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    assert.ok(statSync(join(root, 'LICENSE')).size > 10_000);
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
    assert.match(license, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
    assert.equal(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string }).license,
      'Apache-2.0'
    );
  });
});

describe('the metadata checks catch what the validator would', () => {
  const good = (): PluginJson => ({
    id: 'flowkube-jobs-app',
    type: 'app',
    name: 'FlowKube Jobs',
    info: {
      description: 'Launch batch jobs on Kubernetes from Grafana.',
      keywords: ['kubernetes'],
      author: { name: 'FlowKube' },
      logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
      version: '%VERSION%',
      links: [{ name: 'Source', url: 'https://github.com/flowkube/flowkube' }],
      screenshots: [],
    },
    dependencies: { grafanaDependency: '>=12.4.0' },
  });

  test('a complete plugin.json passes', () => {
    assert.deepEqual(metadataProblems(good(), src), []);
  });

  test('missing files, empty fields and bad ids are reported', () => {
    const bad = good();
    bad.id = 'FlowKube_app';
    bad.info.description = '';
    bad.info.keywords = ['app'];
    bad.info.logos = { small: 'img/nope.svg' };
    bad.info.screenshots = [{ name: 'Missing', path: 'img/screenshots/missing.png' }];
    bad.info.links = [{ name: 'Docs', url: 'docs/index.md' }];
    delete bad.dependencies;
    const problems = metadataProblems(bad, src).join('\n');
    for (const expected of [
      'id "FlowKube_app"',
      'info.description',
      'info.keywords',
      'info.logos.small img/nope.svg does not exist',
      'info.logos.large is missing',
      'missing.png does not exist',
      'absolute http(s) url',
      'grafanaDependency',
    ]) {
      assert.ok(problems.includes(expected), `expected "${expected}" in:\n${problems}`);
    }
  });

  test('a nested plugin included by its folder, untyped or with another type is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowkube-nested-'));
    try {
      mkdirSync(join(dir, 'panels', 'launcher'), { recursive: true });
      writeFileSync(join(dir, 'panels', 'launcher', 'plugin.json'), JSON.stringify({ type: 'panel' }));
      const withInclude = (include: object) =>
        writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ type: 'app', includes: [include] }));
      withInclude({ type: 'panel', path: 'panels/launcher' });
      assert.match(nestedIncludeProblems(dir).join(), /panels\/launcher\/plugin\.json is not declared/);
      withInclude({ path: 'panels/launcher/plugin.json' });
      assert.match(nestedIncludeProblems(dir).join(), /without a type/);
      withInclude({ type: 'datasource', path: 'panels/launcher/plugin.json' });
      assert.match(nestedIncludeProblems(dir).join(), /declared as datasource but is a panel/);
      withInclude({ type: 'panel', path: 'panels/launcher/plugin.json' });
      assert.deepEqual(nestedIncludeProblems(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a grafanaDependency below a peer requirement is reported', () => {
    const scenes = { from: '@grafana/scenes@9.2.2', peer: '@grafana/ui', range: '>=12.4' };
    assert.match(
      peerDependencyProblems('>=12.3.0', [scenes]).join(),
      /@grafana\/scenes@9\.2\.2 needs @grafana\/ui >=12\.4/
    );
    assert.deepEqual(peerDependencyProblems('>=12.4.0', [scenes]), []);
    assert.deepEqual(lowestVersion('^11.0.0 || >=12.4'), [11, 0, 0]);
    assert.deepEqual(lowestVersion('13.x'), [13, 0, 0]);
  });

  test('template leftovers and relative links in the README are reported', () => {
    const problems = readmeProblems('<!-- fill me in -->\nJobs\n![shot](img/screenshot.png)').join('\n');
    assert.match(problems, /too short/);
    assert.match(problems, /no title/);
    assert.match(problems, /template comments/);
    assert.match(problems, /img\/screenshot\.png is relative/);
  });
});
