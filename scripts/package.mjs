// `npm run package` (after `npm run build`): the zip Grafana's plugin catalog takes — dist/ as a folder named after
// the plugin id inside `<id>-<version>.zip` — and `<zip>.sha1` beside it. Sign first (`npm run sign`) if the zip is
// for the catalog: signing writes dist/MANIFEST.txt, which must be inside the zip.
// Written with node:zlib only (no zip CLI or archive package is installed): stored directory entries, deflated files,
// UTF-8 names, Unix modes; entry order and timestamps are deterministic (SOURCE_DATE_EPOCH, else the files' mtimes).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const UTF8_FLAG = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;

function dosDateTime(date) {
  const year = Math.max(date.getUTCFullYear(), 1980);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const path = join(dir, e.name);
      return e.isDirectory() ? [{ path, dir: true }, ...walk(path)] : e.isFile() ? [{ path, dir: false }] : [];
    });
}

/** Zip bytes of `dir`'s tree under the folder `prefix/`. */
export function zipFolder(dir, prefix, fixedDate) {
  const entries = [{ path: dir, dir: true }, ...walk(dir)];
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const entry of entries) {
    const rel = relative(dir, entry.path).split(sep).join('/');
    const name = Buffer.from(rel ? `${prefix}/${rel}${entry.dir ? '/' : ''}` : `${prefix}/`, 'utf8');
    const stat = statSync(entry.path);
    const raw = entry.dir ? Buffer.alloc(0) : readFileSync(entry.path);
    const data = entry.dir ? raw : deflateRawSync(raw, { level: 9 });
    const method = entry.dir ? 0 : 8;
    const crc = entry.dir ? 0 : crc32(raw);
    const { time, date } = dosDateTime(fixedDate ?? stat.mtime);
    const mode = entry.dir ? 0o40755 : stat.mode & 0o111 ? 0o100755 : 0o100644;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_FLAG, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk start, internal attributes: all 0
    central.writeUInt32LE(((mode << 16) | (entry.dir ? 0x10 : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/**
 * Packages `distDir` for the plugin catalog into `outDir`. The folder inside the zip is the plugin id from
 * dist/plugin.json; the version is package.json's. Returns the paths and the SHA1.
 */
export function packagePlugin({ distDir, outDir, version, date }) {
  let plugin;
  try {
    plugin = JSON.parse(readFileSync(join(distDir, 'plugin.json'), 'utf8'));
  } catch {
    throw new Error(`${distDir}/plugin.json is missing or not JSON: run \`npm run build\` first`);
  }
  if (typeof plugin.id !== 'string' || !/^[a-z0-9-]+$/.test(plugin.id)) {
    throw new Error(`${distDir}/plugin.json has no valid "id"`);
  }
  if (plugin.info?.version !== undefined && plugin.info.version !== version) {
    throw new Error(`dist/plugin.json says version ${plugin.info.version} but package.json says ${version}: rebuild`);
  }
  const zip = zipFolder(distDir, plugin.id, date);
  const zipPath = join(outDir, `${plugin.id}-${version}.zip`);
  const sha1 = createHash('sha1').update(zip).digest('hex');
  writeFileSync(zipPath, zip);
  writeFileSync(`${zipPath}.sha1`, `${sha1}\n`);
  return { zipPath, sha1Path: `${zipPath}.sha1`, sha1 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = join(fileURLToPath(import.meta.url), '..', '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const epoch = process.env.SOURCE_DATE_EPOCH;
  try {
    const out = packagePlugin({
      distDir: join(root, 'dist'),
      outDir: root,
      version,
      date: epoch ? new Date(Number(epoch) * 1000) : undefined,
    });
    console.log(`${relative(root, out.zipPath)}\nsha1 ${out.sha1}`);
  } catch (error) {
    console.error(`package: ${error.message}`);
    process.exit(1);
  }
}
