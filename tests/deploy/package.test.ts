// scripts/package.mjs: a tiny fake dist/ is packaged into a temporary folder and read back by an independent zip
// implementation (python3's zipfile, which also verifies every CRC).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { packagePlugin } from '../../scripts/package.mjs';

interface Listing {
  bad: string | null;
  names: string[];
  data: Record<string, string>;
  modes: Record<string, number>;
}

const PY = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({
  'bad': z.testzip(),
  'names': z.namelist(),
  'data': {i.filename: z.read(i).decode('utf-8') for i in z.infolist() if not i.is_dir()},
  'modes': {i.filename: i.external_attr >> 16 for i in z.infolist()},
}))
`;

function unzip(path: string): Listing {
  return JSON.parse(execFileSync('python3', ['-c', PY, path], { encoding: 'utf8' })) as Listing;
}

describe('npm run package (scripts/package.mjs)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'flowkube-package-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  function fakeDist(version: string): string {
    const dist = join(tmp, `dist-${version}`);
    mkdirSync(join(dist, 'img'), { recursive: true });
    writeFileSync(join(dist, 'plugin.json'), JSON.stringify({ id: 'flowkube-jobs-app', info: { version } }));
    writeFileSync(join(dist, 'module.js'), 'console.log("ü");\n'.repeat(200));
    writeFileSync(join(dist, 'img', 'logo.svg'), '<svg/>');
    writeFileSync(join(dist, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(dist, 'run.sh'), 0o755);
    return dist;
  }

  test('zips dist/ as flowkube-jobs-app/ inside flowkube-jobs-app-<version>.zip, with its SHA1 beside it', () => {
    const out = join(tmp, 'out');
    mkdirSync(out);
    const result = packagePlugin({ distDir: fakeDist('1.2.3'), outDir: out, version: '1.2.3' });
    assert.equal(result.zipPath, join(out, 'flowkube-jobs-app-1.2.3.zip'));

    const listing = unzip(result.zipPath);
    assert.equal(listing.bad, null, 'a CRC does not match');
    assert.deepEqual(listing.names.sort(), [
      'flowkube-jobs-app/',
      'flowkube-jobs-app/img/',
      'flowkube-jobs-app/img/logo.svg',
      'flowkube-jobs-app/module.js',
      'flowkube-jobs-app/plugin.json',
      'flowkube-jobs-app/run.sh',
    ]);
    assert.equal(listing.data['flowkube-jobs-app/module.js'], 'console.log("ü");\n'.repeat(200));
    assert.equal(listing.data['flowkube-jobs-app/img/logo.svg'], '<svg/>');
    assert.equal(listing.modes['flowkube-jobs-app/run.sh']! & 0o777, 0o755);
    assert.equal(listing.modes['flowkube-jobs-app/img/logo.svg']! & 0o777, 0o644);

    const sha1 = createHash('sha1').update(readFileSync(result.zipPath)).digest('hex');
    assert.equal(result.sha1, sha1);
    assert.equal(readFileSync(`${result.zipPath}.sha1`, 'utf8').trim(), sha1);
  });

  test('the same input and date give the same bytes', () => {
    const dist = fakeDist('2.0.0');
    const date = new Date('2026-01-02T03:04:06Z');
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    mkdirSync(a);
    mkdirSync(b);
    assert.equal(
      packagePlugin({ distDir: dist, outDir: a, version: '2.0.0', date }).sha1,
      packagePlugin({ distDir: dist, outDir: b, version: '2.0.0', date }).sha1
    );
  });

  test('refuses a dist/ without plugin.json, or built for another version', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    assert.throws(() => packagePlugin({ distDir: empty, outDir: tmp, version: '1.0.0' }), /npm run build/);
    assert.throws(
      () => packagePlugin({ distDir: fakeDist('0.9.0'), outDir: tmp, version: '1.0.0' }),
      /says version 0\.9\.0 but package\.json says 1\.0\.0/
    );
  });
});
