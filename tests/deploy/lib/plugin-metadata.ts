// The plugin catalog's metadata rules (what Grafana's plugin validator reports), as pure functions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface PluginJson {
  id: string;
  type: string;
  name: string;
  info: {
    description?: string;
    keywords?: string[];
    author?: { name?: string; url?: string };
    logos?: { small?: string; large?: string };
    links?: Array<{ name: string; url: string }>;
    screenshots?: Array<{ name: string; path: string }>;
    version?: string;
  };
  includes?: Array<{ type: string; name: string; path?: string }>;
  dependencies?: { grafanaDependency?: string };
}

/** Every plugin.json under src/: the app's and any nested plugin's (the launcher panel). */
export function pluginJsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      return e.name === 'node_modules' ? [] : pluginJsonFiles(path);
    }
    return e.name === 'plugin.json' ? [path] : [];
  });
}

/** Problems the validator would report for one plugin.json, one line each. */
export function metadataProblems(plugin: PluginJson, dir: string): string[] {
  const problems: string[] = [];
  const file = (p: string) => join(dir, p);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*-(app|panel|datasource)$/.test(plugin.id ?? '')) {
    problems.push(`id "${plugin.id}" must be <org>-<name>-<type>`);
  } else if (!plugin.id.endsWith(`-${plugin.type}`)) {
    problems.push(`id "${plugin.id}" does not end with its type "${plugin.type}"`);
  }
  if (!plugin.name?.trim()) {
    problems.push('name is empty');
  }
  const info = plugin.info ?? {};
  if (!info.description || info.description.trim().length < 20) {
    problems.push('info.description is missing or too short to say what the plugin does');
  }
  if (!info.keywords?.length || info.keywords.every((k) => ['app', 'panel', 'datasource'].includes(k))) {
    problems.push('info.keywords needs words that describe the plugin');
  }
  if (!info.author?.name?.trim()) {
    problems.push('info.author.name is empty');
  }
  for (const size of ['small', 'large'] as const) {
    const logo = info.logos?.[size];
    if (!logo) {
      problems.push(`info.logos.${size} is missing`);
    } else if (!existsSync(file(logo))) {
      problems.push(`info.logos.${size} ${logo} does not exist`);
    }
  }
  if (info.version !== '%VERSION%' && !/^\d+\.\d+\.\d+/.test(info.version ?? '')) {
    problems.push(`info.version "${info.version}" must be %VERSION% (filled in by the build) or semver`);
  }
  for (const link of info.links ?? []) {
    if (!link.name?.trim() || !/^https?:\/\//.test(link.url ?? '')) {
      problems.push(`info.links: "${link.name}" needs a name and an absolute http(s) url`);
    }
  }
  for (const shot of info.screenshots ?? []) {
    if (!shot.name?.trim() || !shot.path || !existsSync(file(shot.path))) {
      problems.push(`info.screenshots: "${shot.name}" → ${shot.path} does not exist`);
    }
  }
  for (const inc of plugin.includes ?? []) {
    if (inc.type === 'dashboard' && inc.path && !existsSync(file(inc.path))) {
      problems.push(`includes: dashboard ${inc.path} does not exist`);
    }
  }
  if (!/^>=\s*\d+\.\d+\.\d+/.test(plugin.dependencies?.grafanaDependency ?? '')) {
    problems.push('dependencies.grafanaDependency must be a range like ">=12.4.0"');
  }
  return problems;
}

/**
 * grafana/plugin-validator's `includesnested` pass (pkg/analysis/passes/includesnested/includesnested.go), fed by
 * `nestedmetadata` (pkg/analysis/passes/nestedmetadata/nestedmetadata.go): every plugin.json below the root is keyed
 * by its path relative to the archive root (`panels/launcher/plugin.json`), and the root plugin.json must have an
 * include whose `path` equals that key exactly, with a `type` equal to the nested plugin's type.
 */
export function nestedIncludeProblems(root: string): string[] {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PluginJson;
  const includes = read(join(root, 'plugin.json')).includes ?? [];
  const problems: string[] = [];
  for (const file of pluginJsonFiles(root)) {
    const key = relative(root, file).split(sep).join('/');
    if (key === 'plugin.json') {
      continue;
    }
    const include = includes.find((inc) => inc.path === key);
    const nestedType = read(file).type;
    if (!include) {
      problems.push(`nested plugin ${key} is not declared in plugin.json includes (an include with "path": "${key}")`);
    } else if (!include.type) {
      problems.push(`nested plugin ${key} is declared without a type`);
    } else if (include.type !== nestedType) {
      problems.push(`nested plugin ${key} is declared as ${include.type} but is a ${nestedType}`);
    }
  }
  return problems;
}

/** Problems with the catalog README (src/README.md): leftovers of the template and links that break on grafana.com. */
export function readmeProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.trim().length < 400) {
    problems.push('README is too short to describe the plugin');
  }
  if (!/^# \S/m.test(text)) {
    problems.push('README has no title');
  }
  if (text.includes('<!--')) {
    problems.push('README still holds template comments (<!-- ... -->), which grafana.com would display');
  }
  for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
    const url = m[1]!;
    if (!/^(https?:|mailto:|#)/.test(url)) {
      problems.push(`README link ${url} is relative: links and images must be absolute on grafana.com`);
    }
  }
  return problems;
}

/** Packages Grafana releases in lockstep with itself: a peer range on one of them is a requirement on Grafana. */
const GRAFANA_VERSIONED = /^@grafana\/(data|ui|runtime|schema|i18n|e2e-selectors)$/;

export interface GrafanaPeer {
  /** The package that asks, with its installed version. */
  from: string;
  peer: string;
  range: string;
}

/**
 * Every peer requirement on a Grafana-versioned package among the app's production dependencies and everything they
 * depend on, as installed: each package is resolved the way Node does, from its dependent's folder upwards.
 */
export function grafanaPeerRequirements(repoRoot: string): GrafanaPeer[] {
  type Manifest = {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const manifestAt = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  const resolve = (name: string, fromDir: string): string | undefined => {
    for (let dir = fromDir; dir.startsWith(repoRoot); dir = join(dir, '..')) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        return candidate;
      }
    }
    return undefined;
  };
  const seen = new Set<string>();
  const found: GrafanaPeer[] = [];
  const visit = (dir: string) => {
    const manifest = manifestAt(dir);
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (GRAFANA_VERSIONED.test(peer)) {
        found.push({ from: `${manifest.name}@${manifest.version}`, peer, range });
      }
    }
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const child = resolve(name, dir);
      if (child && !seen.has(child)) {
        seen.add(child);
        visit(child);
      }
    }
  };
  visit(repoRoot);
  return found;
}

/** The lowest version a simple npm range admits (`>=12.4`, `^12.4.0`, `12.x`, `a || b`), as [major, minor, patch]. */
export function lowestVersion(range: string): [number, number, number] {
  const lows = range.split('||').map((alternative) => {
    const m = /(?:^|\s)(?:>=|\^|~|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(alternative.trim());
    if (!m) {
      throw new Error(`cannot read the lowest version of range "${range}"`);
    }
    const part = (p: string | undefined) => (p === undefined || p === 'x' || p === '*' ? 0 : Number(p));
    return [Number(m[1]), part(m[2]), part(m[3])] as [number, number, number];
  });
  return lows.reduce((a, b) => (compareVersions(a, b) <= 0 ? a : b));
}

export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Peers that need a newer Grafana than `grafanaDependency` promises, one line each. */
export function peerDependencyProblems(grafanaDependency: string, peers: GrafanaPeer[]): string[] {
  const declared = lowestVersion(grafanaDependency);
  return peers
    .filter((p) => compareVersions(lowestVersion(p.range), declared) > 0)
    .map((p) => `${p.from} needs ${p.peer} ${p.range}, but grafanaDependency is "${grafanaDependency}"`);
}
