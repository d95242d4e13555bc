// pkg-backend-proxy/Dockerfile cannot be built here (no Docker engine), so what would break the build or the Pod is
// checked statically: every COPY source exists and survives the .dockerignore, the runtime stage runs the compiled
// server as the same numeric non-root user the Deployment declares, with production dependencies only.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findObject, kustomize } from './lib/kubectl-kustomize.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerfile = join(root, 'pkg-backend-proxy', 'Dockerfile');

interface Instruction {
  op: string;
  args: string;
}

/** Instructions of a Dockerfile, continuation lines joined, comments dropped, grouped by stage. */
export function parseDockerfile(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m || line.trim().startsWith('#')) {
      continue;
    }
    const ins = { op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    if (ins.op === 'FROM') {
      stages.push([]);
    }
    stages.at(-1)?.push(ins);
  }
  return stages;
}

/** Whether a context path is excluded by .dockerignore patterns (in order, the last match wins; `!` re-includes). */
export function ignored(path: string, patterns: string[]): boolean {
  let excluded = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/\/$/, '');
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
    if (re.test(path)) {
      excluded = !negate;
    }
  }
  return excluded;
}

const stages = parseDockerfile(readFileSync(dockerfile, 'utf8'));
const ignore = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const runtime = stages.at(-1)!;
const find = (op: string, stage = runtime) => stage.filter((i) => i.op === op);

describe('pkg-backend-proxy/Dockerfile', () => {
  test('is multi-stage on Node 22 images', () => {
    assert.ok(stages.length >= 2);
    for (const stage of stages) {
      assert.match(stage[0]!.args, /^node:22[-\w.]*(\s+AS\s+\w+)?$/i);
    }
  });

  test('every COPY from the build context exists and is not excluded by the .dockerignore', () => {
    const sources = stages
      .flat()
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1)
      );
    assert.ok(sources.length >= 5);
    for (const source of sources) {
      assert.ok(existsSync(join(root, source)), `COPY source ${source} does not exist`);
      assert.equal(ignored(posix.normalize(source), ignore), false, `${source} is excluded by the .dockerignore`);
    }
  });

  test('the runtime stage installs production dependencies only and compiles nothing', () => {
    const installs = stages.flat().filter((i) => i.op === 'RUN' && /npm ci/.test(i.args));
    assert.ok(
      installs.some((i) => /--omit=dev/.test(i.args)),
      'no production-only install'
    );
    assert.ok(
      installs.every((i) => /--workspace pkg-backend-proxy/.test(i.args)),
      'installs must be of the proxy only'
    );
    assert.equal(find('RUN').length, 0, 'the runtime stage must only copy prepared files');
    const fromDeps = find('COPY').find((i) => /node_modules/.test(i.args))!;
    const depsStage = /--from=(\w+)/.exec(fromDeps.args)![1]!;
    const stage = stages.find((s) => new RegExp(`AS\\s+${depsStage}$`, 'i').test(s[0]!.args))!;
    assert.ok(
      find('RUN', stage).some((i) => /--omit=dev/.test(i.args)),
      `stage ${depsStage} must omit dev dependencies`
    );
  });

  test('runs node dist/server.js, with the default catalog, as the numeric user the Deployment declares', () => {
    const user = find('USER').at(-1)?.args ?? '';
    assert.match(user, /^\d+:\d+$/);
    const [uid, gid] = user.split(':').map(Number);
    assert.notEqual(uid, 0);
    const deployment = findObject(kustomize(join(root, 'k8s', 'base')), 'Deployment', 'flowkube-proxy');
    const podSecurity = (deployment.spec as { template: { spec: { securityContext: Record<string, number> } } })
      .template.spec.securityContext;
    assert.equal(podSecurity.runAsUser, uid);
    assert.equal(podSecurity.runAsGroup, gid);

    const pkg = JSON.parse(readFileSync(join(root, 'pkg-backend-proxy', 'package.json'), 'utf8')) as {
      main: string;
      scripts: { start: string };
    };
    assert.equal(pkg.main, 'dist/server.js');
    // the image runs exactly what `npm start` runs (node flags included), in exec form: no shell at run time
    assert.deepEqual(JSON.parse(find('CMD').at(-1)?.args ?? '[]'), pkg.scripts.start.split(' '));
    assert.equal(pkg.scripts.start.split(' ').at(-1), pkg.main);
    const workdir = find('WORKDIR').at(-1)!.args;
    assert.equal(workdir, '/app/pkg-backend-proxy');
    const catalog = /FLOWKUBE_CATALOG=(\S+)/.exec(
      find('ENV')
        .map((e) => e.args)
        .join(' ')
    )?.[1];
    assert.equal(catalog, '/app/pkg-backend-proxy/catalog/default.yaml');
    assert.ok(find('COPY').some((i) => /^pkg-backend-proxy\/catalog pkg-backend-proxy\/catalog$/.test(i.args)));
  });
});

describe('the .dockerignore matcher', () => {
  test('excludes everything but the re-included paths', () => {
    const patterns = ['*', '!package.json', '!pkg-backend-proxy/src'];
    assert.equal(ignored('package.json', patterns), false);
    assert.equal(ignored('pkg-backend-proxy/src', patterns), false);
    assert.equal(ignored('pkg-backend-proxy/src/server.ts', patterns), false);
    assert.equal(ignored('pkg-backend-proxy/test', patterns), true);
    assert.equal(ignored('node_modules', patterns), true);
  });
});

// docker-compose 1.29 (Debian's, still common) builds with Docker's classic builder unless DOCKER_BUILDKIT=1 is set,
// and the classic builder rejects BuildKit-only syntax: `COPY --chmod`/`--link`, `RUN --mount`, heredocs, a
// `# syntax=` frontend. Keeping both images to the classic syntax lets `docker compose up --build` work either way.
/** Instructions a classic (non-BuildKit) build refuses. */
export function buildKitOnly(text: string): string[] {
  const problems = parseDockerfile(text)
    .flat()
    .filter((i) => /(^|\s)--(chmod|link|mount|parents|exclude)\b/.test(i.args) || /<<-?\w/.test(i.args))
    .map((i) => `${i.op} ${i.args}`);
  return /^#\s*syntax=/m.test(text) ? [...problems, '# syntax= frontend'] : problems;
}

describe('the images build without BuildKit', () => {
  for (const file of ['python/Dockerfile', 'pkg-backend-proxy/Dockerfile']) {
    test(`${file} uses only classic-builder syntax`, () => {
      assert.deepEqual(buildKitOnly(readFileSync(join(root, file), 'utf8')), []);
    });
  }

  test('the check catches COPY --chmod, RUN --mount and a syntax frontend, and not COPY --from', () => {
    assert.deepEqual(
      buildKitOnly(
        '# syntax=docker/dockerfile:1\nFROM x\nCOPY --chmod=0444 a /b\nRUN --mount=type=cache,target=/c true\nCOPY --from=y /a /a\n'
      ),
      ['COPY --chmod=0444 a /b', 'RUN --mount=type=cache,target=/c true', '# syntax= frontend']
    );
  });
});
