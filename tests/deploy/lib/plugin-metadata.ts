// The plugin catalog's metadata rules (what Grafana's plugin validator reports), as pure functions.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
    problems.push('dependencies.grafanaDependency must be a range like ">=12.3.0"');
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
