// Reading the repository's YAML and JSON for the checks.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { type Json, ROOT } from './dashboards.ts';

export function readYaml(path: string): Json {
  return parse(readFileSync(join(ROOT, path), 'utf8'));
}

export function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** Repository-relative paths of the files under `dir` whose name ends with one of `exts`. */
export function filesUnder(dir: string, exts: string[]): string[] {
  const walk = (abs: string): string[] =>
    readdirSync(abs).flatMap((name) => {
      const path = join(abs, name);
      if (statSync(path).isDirectory()) {
        return name === 'node_modules' ? [] : walk(path);
      }
      return exts.some((e) => name.endsWith(e)) ? [relative(ROOT, path)] : [];
    });
  return walk(join(ROOT, dir));
}

/** Every document of every YAML file directly in `dir` (a folder of Kubernetes manifests). */
export function manifestsIn(dir: string): Json[] {
  return filesUnder(dir, ['.yaml', '.yml'])
    .filter((f) => !f.slice(dir.length + 1).includes('/'))
    .flatMap((f) => parseAllDocuments(readText(f)).map((d) => ('toJS' in d ? d.toJS() : null)))
    .filter(Boolean);
}

/** Parse errors of every document in a YAML file (multi-document files included). */
export function yamlErrors(path: string): string[] {
  return parseAllDocuments(readText(path)).flatMap((doc) =>
    'errors' in doc ? doc.errors.map((e) => `${path}: ${e.message}`) : []
  );
}
