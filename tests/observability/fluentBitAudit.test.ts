// The proxy's audit events through FlowKube's Fluent Bit configuration, as the fluent/fluent-bit chart renders it:
// which files reach the audit route, which lines it takes, the time Loki stores them at, and the stream labels.
// Fluent Bit cannot run here, so each step is read from the configuration and applied to lines the proxy really
// writes (its audit builders and its pino logger).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import pino from 'pino';
import { rejectedEvent, scheduleEvent, transitions } from '../../pkg-backend-proxy/src/audit.ts';
import { AUDIT_STREAM_LABELS } from '../../pkg-backend-proxy/src/contract/audit.ts';
import { loggerOptions } from '../../pkg-backend-proxy/src/logger.ts';
import type { Job, Schedule } from '../../pkg-backend-proxy/src/schemas/index.ts';
import { type Json } from './support/dashboards.ts';
import { manifestsIn, readYaml } from './support/files.ts';
import {
  type Section,
  get,
  keyValueList,
  parseFluentBitConfig,
  renderChartConfig,
  sectionsNamed,
  wildcardMatches,
} from './support/fluentBitConfig.ts';

const values: Json = readYaml('monitoring/fluent-bit-loki-values.yaml');
const rendered = renderChartConfig(values.config);
const config = parseFluentBitConfig(rendered.fluentBitConf);
const parsers = parseFluentBitConfig(rendered.customParsersConf);

// The proxy's container log file as the kubelet names it, from the Deployment in k8s/base.
const deployment = manifestsIn('k8s/base').find((m) => m.kind === 'Deployment' && m.metadata.name === 'flowkube-proxy');
const proxyFile = `/var/log/containers/${deployment.metadata.name}-7d9f8b6c5d-x2x4z_${deployment.metadata.namespace}_${deployment.spec.template.spec.containers[0].name}-0123456789abcdef.log`;
const workerFile = '/var/log/containers/basic-bcdfg_flowkube-jobs_worker-0123456789abcdef.log';
const imposterFile = '/var/log/containers/flowkube-proxy-bcdfg_flowkube-jobs_worker-0123456789abcdef.log';

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The tag a tail input gives a file (its `*` becomes the path, slashes as dots), or undefined if it does not read it. */
function tagOf(input: Section, file: string): string | undefined {
  const read = splitList(get(input, 'Path')).some((p) => wildcardMatches(p, file));
  const excluded = splitList(get(input, 'Exclude_Path')).some((p) => wildcardMatches(p, file));
  return read && !excluded
    ? (get(input, 'Tag') ?? '').replace('*', file.replace(/^\//, '').replaceAll('/', '.'))
    : undefined;
}

function tagsOf(file: string): string[] {
  return sectionsNamed(config, 'INPUT').flatMap((i) => tagOf(i, file) ?? []);
}

const matching = (name: string, tag: string) =>
  sectionsNamed(config, name).filter((s) => wildcardMatches(get(s, 'Match') ?? '', tag));

/** rewrite_tag: `Rule $KEY REGEX NEW_TAG KEEP`; the regexes used here mean the same in Onigmo and JavaScript. */
function rewriteRules(tag: string): Array<{ key: string; re: RegExp; tag: string; keep: boolean }> {
  return matching('FILTER', tag)
    .filter((f) => get(f, 'Name') === 'rewrite_tag')
    .map((f) => {
      const [key, re, to, keep] = (get(f, 'Rule') ?? '').split(/\s+/);
      assert.match(key, /^\$\w+$/, 'a rule on a top-level key');
      return { key: key.slice(1), re: new RegExp(re), tag: to, keep: keep === 'true' };
    });
}

/** Where a line of the proxy's container goes: the tag it ends with after rewrite_tag, then the one output. */
function route(line: string): { tag: string; output: Section } {
  const [tag] = tagsOf(proxyFile);
  const rule = rewriteRules(tag).find((r) => r.key === 'log' && r.re.test(line));
  assert.ok(!rule || !rule.keep, 'an audit line is not shipped twice');
  const final = rule ? rule.tag : tag;
  const outputs = matching('OUTPUT', final);
  assert.equal(outputs.length, 1, `${final} reaches exactly one output`);
  return { tag: final, output: outputs[0] };
}

const job: Job = {
  id: 'basic-bcdfg',
  template: 'basic',
  params: { message: 'say "hi", then {stop}' },
  phase: 'Failed',
  launchedBy: 'alice',
  createdAt: '2026-11-26T10:00:00.000Z',
  startedAt: '2026-11-26T10:00:02.000Z',
  finishedAt: '2026-11-26T10:00:07.000Z',
  exitCode: 1,
  schedule: null,
  source: null,
};
const schedule = {
  id: 'basic-bcdfghjklm',
  template: 'basic',
  params: {},
  schedule: '0 2 * * *',
  timeZone: 'UTC',
  suspend: false,
  concurrencyPolicy: 'Forbid',
  createdAt: '2026-11-26T09:00:00.000Z',
} as Schedule;
const auditLines = [
  ...transitions(undefined, job),
  rejectedEvent({ body: { template: 'basic' }, launchedBy: 'bob', reason: 'invalid', status: 400, message: 'no' }),
  scheduleEvent('schedule_created', schedule, 'carol'),
  scheduleEvent('schedule_updated', schedule, 'carol', ['suspend']),
].map((e) => JSON.stringify(e));

function accessLines(): string[] {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      out.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // the options fastify gives pino in the proxy (server.ts)
  const log = pino(loggerOptions('info') as pino.LoggerOptions, sink);
  log.info({ reqId: 'req-1', res: { statusCode: 200 }, responseTime: 2 }, 'request completed');
  // an access log line can quote an audit-shaped body without becoming one
  log.warn({ body: '{"audit":true,"eventId":"x"}' }, 'launch refused');
  return out;
}

describe('audit events through monitoring/fluent-bit-loki-values.yaml', () => {
  test('the chart renders the values as they are: no Helm template in them', () => {
    assert.doesNotThrow(() => renderChartConfig(values.config));
    assert.throws(() => renderChartConfig({ ...values.config, filters: '{{ .Values.x }}' }), /config\.filters/);
  });

  test('the proxy container’s log file is read by one input of its own; a job Pod’s never by that one', () => {
    const proxyTags = tagsOf(proxyFile);
    assert.equal(proxyTags.length, 1, 'read once, by its own input');
    assert.ok(proxyTags[0].startsWith('proxy.'), proxyTags[0]);
    for (const file of [workerFile, imposterFile]) {
      const tags = tagsOf(file);
      assert.equal(tags.length, 1, file);
      assert.ok(tags[0].startsWith('kube.'), `${file} is a job log: ${tags[0]}`);
    }
  });

  test('every audit line, and nothing else of the proxy’s, is routed to the audit output', () => {
    const audit = route(auditLines[0]).output;
    for (const line of auditLines) {
      assert.equal(route(line).output, audit, line);
    }
    const access = accessLines();
    assert.equal(access.length, 2);
    for (const line of access) {
      assert.notEqual(route(line).output, audit, line);
    }
  });

  test('the audit output sends the two fixed stream labels of the contract, nothing per job or per replica', () => {
    const { output } = route(auditLines[0]);
    assert.deepEqual(keyValueList(get(output, 'Labels') ?? ''), AUDIT_STREAM_LABELS);
    assert.equal(get(output, 'Label_Keys'), undefined);
    // Loki dedupes identical entries only if their structured metadata is identical too
    assert.equal(get(output, 'Structured_Metadata'), undefined);
    assert.equal(get(output, 'Line_Format'), 'json');
    assert.equal(get(output, 'Drop_Single_Key'), 'raw');
  });

  // The parser filter replaces the entry's time with the one its parser read, and with Reserve_Data and Preserve_Key
  // keeps the original fields, `log` among them (fluent/fluent-bit plugins/filter_parser/filter_parser.c).
  test('before the audit output, the entry takes the event’s time and keeps only the line as written', () => {
    const { tag } = route(auditLines[0]);
    const filters = matching('FILTER', tag);
    const parser = filters.find((f) => get(f, 'Name') === 'parser');
    assert.ok(parser);
    assert.deepEqual(
      [get(parser, 'Key_Name'), get(parser, 'Reserve_Data'), get(parser, 'Preserve_Key')],
      ['log', 'On', 'On']
    );
    const def = sectionsNamed(parsers, 'PARSER').find((p) => get(p, 'Name') === get(parser, 'Parser'));
    assert.ok(def, 'the parser is defined in custom_parsers.conf');
    assert.equal(get(def, 'Format'), 'json');
    assert.equal(get(def, 'Time_Key'), 'time');
    const format = strftimeRegExp(get(def, 'Time_Format') ?? '');
    for (const line of auditLines) {
      assert.match(JSON.parse(line).time, format, line);
    }
    // what the parser added beside `log` goes, so Drop_Single_Key has a single key to send raw
    const modifier = filters.find((f) => get(f, 'Name') === 'record_modifier');
    assert.ok(modifier && filters.indexOf(modifier) > filters.indexOf(parser));
    assert.deepEqual(
      modifier.entries.filter(([k]) => k.toLowerCase() === 'allowlist_key').map(([, v]) => v),
      ['log']
    );
  });

  test('the access log goes to a stream of its own beside the audit one', () => {
    const { output } = route(accessLines()[0]);
    assert.deepEqual(keyValueList(get(output, 'Labels') ?? ''), { app: AUDIT_STREAM_LABELS.app, stream: 'access' });
  });
});

/** A Fluent Bit Time_Format (strptime conversions, %L for the fraction) as the pattern of the text it reads. */
function strftimeRegExp(format: string): RegExp {
  const parts: Record<string, string> = {
    Y: '\\d{4}',
    m: '\\d{2}',
    d: '\\d{2}',
    H: '\\d{2}',
    M: '\\d{2}',
    S: '\\d{2}',
    L: '\\d+',
  };
  const re = format.replace(/%(.)|[.+?^${}()|[\]\\]/g, (all, conv: string | undefined) => {
    if (conv === undefined) {
      return `\\${all}`;
    }
    assert.ok(parts[conv], `%${conv} is not handled here`);
    return parts[conv];
  });
  return new RegExp(`^${re}$`);
}
