// Renders kustomizations with the real kustomize, the one built into kubectl: `kubectl apply -k` and
// deploy/compose/k3s-setup.sh use exactly this renderer, so what it refuses (an overlay inside its base, a missing
// resource, a strategic-merge patch that hits nothing) fails the tests too. `kubectl kustomize` works offline; with
// KUBECONFIG=/dev/null it cannot find a cluster even by accident. No other kubectl verb is ever run here.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './k8s-schema.ts';

const RENDER_TIMEOUT_MS = 30_000;

const MISSING_KUBECTL =
  'kubectl was not found on PATH. The k8s tests render every kustomization with the real kustomize inside kubectl ' +
  '(`kubectl kustomize`, offline); install kubectl >= 1.27 (CI: .ci/run checks for it; /usr/bin/kubectl on these machines).';

/** The kubectl executable on PATH, or an error saying how to get one. */
export function kubectlPath(path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  throw new Error(MISSING_KUBECTL);
}

/** Every non-empty document of a multi-document YAML text, throwing with `source` on a syntax error. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`${source}: ${doc.errors[0]!.message}`);
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) {
      out.push(value);
    }
  }
  return out;
}

export function parseYamlFile(file: string): unknown[] {
  return parseYamlDocuments(readFileSync(file, 'utf8'), file);
}

const rendered = new Map<string, KubeObject[]>();

/**
 * The objects `kubectl apply -k <dir>` would send, rendered by `kubectl kustomize [flags] <dir>` (flags such as
 * `--load-restrictor LoadRestrictionsNone`, as a README tells users to pass). Each result is a fresh copy
 * (renders are cached per directory within a test process: kustomize output depends only on the files).
 */
export function kustomize(dir: string, kubectl = kubectlPath(), flags: string[] = []): KubeObject[] {
  const key = [kubectl, dir, ...flags].join('\0');
  let objects = rendered.get(key);
  if (!objects) {
    let yaml: string;
    try {
      yaml = execFileSync(kubectl, ['kustomize', ...flags, dir], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/nonexistent', KUBECONFIG: '/dev/null' },
        encoding: 'utf8',
        timeout: RENDER_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string; signal?: string };
      if (e.code === 'ENOENT') {
        throw new Error(MISSING_KUBECTL);
      }
      if (e.signal) {
        throw new Error(`kubectl kustomize ${dir} did not finish within ${RENDER_TIMEOUT_MS / 1000} s (${e.signal})`);
      }
      throw new Error(`kubectl kustomize ${dir} failed: ${(e.stderr ?? e.message).trim()}`);
    }
    objects = parseYamlDocuments(yaml, `kubectl kustomize ${dir}`) as KubeObject[];
    rendered.set(key, objects);
  }
  return structuredClone(objects);
}

/** k8s/base and every overlay under k8s/overlays/, relative to the repository root, found on disk. */
export function kustomizationDirs(root: string): string[] {
  const overlays = join(root, 'k8s', 'overlays');
  return [
    'k8s/base',
    ...readdirSync(overlays)
      .filter((name) => existsSync(join(overlays, name, 'kustomization.yaml')))
      .sort()
      .map((name) => `k8s/overlays/${name}`),
  ];
}

/** The one object of a kind and name, or an error naming what is missing. */
export function findObject(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}/${name}, found ${found.length}`);
  }
  return found[0]!;
}
