// The compose stack's audit events: the proxy runs outside k3s, so nothing collects its stdout; it appends the events
// to FLOWKUBE_AUDIT_FILE on a volume fluent-bit also mounts, and fluent-bit tails that file into the same Loki stream
// the cluster's Fluent Bit fills. Checked on the file as docker-compose 1.29 resolves it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../../pkg-backend-proxy/src/config.ts';
import { AUDIT_STREAM_LABELS } from '../../pkg-backend-proxy/src/contract/audit.ts';
import {
  get,
  keyValueList,
  parseFluentBitConfig,
  sectionsNamed,
  wildcardMatches,
} from '../observability/support/fluentBitConfig.ts';
import { mounts, resolvedCompose } from './lib/compose.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (...p: string[]) => readFileSync(join(root, ...p), 'utf8');

type Plugin = Record<string, string>;
interface FluentBitYaml {
  parsers: Plugin[];
  pipeline: { inputs: Plugin[]; filters: Plugin[]; outputs: Plugin[] };
}

describe('docker-compose.yaml ships the proxy audit events', () => {
  const config = resolvedCompose(root);
  const proxy = config.services.proxy!;
  const fluentBit = config.services['fluent-bit']!;
  const fb = parse(read('deploy', 'compose', 'fluent-bit.yaml')) as FluentBitYaml;
  const file = String(proxy.environment?.FLOWKUBE_AUDIT_FILE);

  test('the proxy reads FLOWKUBE_AUDIT_FILE, on a volume it can write', () => {
    const env = Object.fromEntries(Object.entries(proxy.environment ?? {}).map(([k, v]) => [k, String(v)]));
    assert.equal(loadConfig(env).auditFile, file);
    const volume = mounts(proxy).find((m) => m.target === posix.dirname(file));
    assert.ok(volume && !volume.bind, `no named volume mounted at ${posix.dirname(file)}`);
    // the root filesystem is read-only and the image's user is not root: the volume must be theirs
    assert.equal(proxyVolumeOwner(config.volumes?.[volume.source]), dockerfileUser());
  });

  test('fluent-bit mounts that volume and tails that file, with no other input reading it', () => {
    const volume = mounts(proxy).find((m) => m.target === posix.dirname(file))!;
    const seen = mounts(fluentBit).find((m) => m.source === volume.source);
    assert.ok(seen, 'fluent-bit does not mount the audit volume');
    const there = posix.join(seen.target, posix.basename(file));
    const readers = fb.pipeline.inputs.filter((i) => wildcardMatches(i.path!, there));
    assert.equal(readers.length, 1, `${there} is read by ${readers.length} inputs`);
    assert.equal(readers[0]!.name, 'tail');
    assert.ok(fb.pipeline.inputs.every((i) => i === readers[0] || !wildcardMatches(i.path!, there)));
  });

  test('its lines get the event time and reach Loki alone, in the contract stream, with no metadata', () => {
    const volume = mounts(proxy).find((m) => m.target === posix.dirname(file))!;
    const there = posix.join(mounts(fluentBit).find((m) => m.source === volume.source)!.target, posix.basename(file));
    const tag = fb.pipeline.inputs.find((i) => wildcardMatches(i.path!, there))!.tag!;
    const filters = fb.pipeline.filters.filter((f) => wildcardMatches(f.match!, tag));
    assert.deepEqual(
      filters.map((f) => f.name),
      ['parser', 'record_modifier']
    );
    const [parser, modifier] = filters;
    assert.deepEqual(
      [parser!.key_name, parser!.reserve_data, parser!.preserve_key, modifier!.allowlist_key],
      ['log', 'on', 'on', 'log']
    );
    // the same parser as the cluster's (monitoring/fluent-bit-loki-values.yaml), so both stamp the same times
    const def = fb.parsers.find((p) => p.name === parser!.parser)!;
    const values = parse(read('monitoring', 'fluent-bit-loki-values.yaml')) as { config: { customParsers: string } };
    const cluster = sectionsNamed(parseFluentBitConfig(values.config.customParsers), 'PARSER').find(
      (p) => get(p, 'Name') === def.name
    );
    assert.ok(cluster, `the cluster has no parser ${def.name}`);
    assert.deepEqual(
      [def.format, def.time_key, def.time_format],
      ['Format', 'Time_Key', 'Time_Format'].map((k) => get(cluster, k))
    );

    const outputs = fb.pipeline.outputs.filter((o) => wildcardMatches(o.match!, tag));
    assert.equal(outputs.length, 1);
    const [out] = outputs;
    assert.deepEqual(keyValueList(out!.labels!), AUDIT_STREAM_LABELS);
    assert.equal(out!.structured_metadata, undefined);
    assert.deepEqual([out!.drop_single_key, out!.line_format], ['raw', 'json']);
    assert.equal(`${out!.host}:${out!.port}`, 'loki:3100');
  });
});

/** The uid:gid a local tmpfs volume is mounted with (its `o` options). */
function proxyVolumeOwner(volume: unknown): string {
  const o = (volume as { driver_opts?: { type?: string; o?: string } } | undefined)?.driver_opts;
  assert.equal(o?.type, 'tmpfs', 'a tmpfs volume, mounted with the owner given');
  const opts = Object.fromEntries((o.o ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
  return `${opts.uid}:${opts.gid}`;
}

/** The USER of the proxy image's last stage. */
function dockerfileUser(): string {
  const users = [...read('pkg-backend-proxy', 'Dockerfile').matchAll(/^USER\s+(\S+)$/gm)].map((m) => m[1]);
  assert.ok(users.length > 0, 'the proxy image sets no USER');
  return users.at(-1)!;
}
