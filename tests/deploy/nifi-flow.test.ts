// examples/nifi/flowkube-launch-flow.json: a NiFi flow definition that launches jobs through the proxy's
// POST /api/v1/jobs with the documented headers, and never through the Kubernetes API as the original flow did.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAjv } from '../../pkg-backend-proxy/src/validation/ajv.ts';
import { IdempotencyKey, LaunchRequest } from '../../pkg-backend-proxy/src/schemas/index.ts';
import { parseCatalog } from '../../pkg-backend-proxy/src/catalog/load.ts';
import { validateParams } from '../../pkg-backend-proxy/src/catalog/params.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(root, 'examples', 'nifi', 'flowkube-launch-flow.json');

interface Processor {
  identifier: string;
  name: string;
  type: string;
  properties: Record<string, string>;
  propertyDescriptors?: Record<string, { sensitive?: boolean; dynamic?: boolean }>;
  autoTerminatedRelationships?: string[];
}
interface Connection {
  source: { id: string };
  destination: { id: string };
  selectedRelationships: string[];
}
interface Flow {
  flowContents: { processors: Processor[]; connections: Connection[]; parameterContextName?: string };
  parameterContexts: Record<string, { parameters: Array<{ name: string; sensitive: boolean; value: string | null }> }>;
  flowEncodingVersion: string;
}

const flow = JSON.parse(readFileSync(file, 'utf8')) as Flow;
const byType = (suffix: string) => {
  const found = flow.flowContents.processors.filter((p) => p.type === `org.apache.nifi.processors.standard.${suffix}`);
  assert.equal(found.length, 1, `expected one ${suffix}`);
  return found[0]!;
};

describe('the NiFi flow definition', () => {
  const generate = byType('GenerateFlowFile');
  const invoke = byType('InvokeHTTP');
  const log = byType('LogAttribute');
  const context = flow.parameterContexts[flow.flowContents.parameterContextName ?? '']!;
  const param = (name: string) => context.parameters.find((p) => p.name === name);

  test('is a flow definition with its parameter context', () => {
    assert.equal(flow.flowEncodingVersion, '1.0');
    assert.ok(context, 'the process group must name an exported parameter context');
  });

  test('GenerateFlowFile emits a LaunchRequest the proxy accepts for a catalog template', () => {
    const body = JSON.parse(generate.properties['Custom Text']!) as { template: string; params: Record<string, never> };
    assert.ok(createAjv({ coerce: false }).validate(LaunchRequest, body), 'not a LaunchRequest');
    const catalogFile = join(root, 'pkg-backend-proxy', 'catalog', 'default.yaml');
    const template = parseCatalog(readFileSync(catalogFile, 'utf8'), catalogFile).byId.get(body.template);
    assert.ok(template, `unknown template ${body.template}`);
    assert.deepEqual(validateParams(template, body.params).ok, true);
  });

  test('InvokeHTTP POSTs to the proxy route with the launch token, JSON and an idempotency key', () => {
    const p = invoke.properties;
    assert.equal(p['HTTP Method'], 'POST');
    assert.equal(p['HTTP URL'], '#{flowkube.proxy.url}/api/v1/jobs');
    assert.equal(p['Request Content-Type'], 'application/json');
    assert.equal(p.Authorization, '#{flowkube.launch.authorization}');
    assert.equal(
      invoke.propertyDescriptors?.Authorization?.sensitive,
      true,
      'the Authorization header must be sensitive'
    );
    const secret = param('flowkube.launch.authorization');
    assert.equal(secret?.sensitive, true, 'the launch token parameter must be sensitive');
    assert.equal(secret?.value, null, 'a sensitive value must not be in the file');
    assert.match(param('flowkube.proxy.url')?.value ?? '', /^http:\/\/flowkube-proxy\.flowkube-admin\.svc:8080$/);
    // ${uuid} is the FlowFile's uuid: the key must fit the proxy's Idempotency-Key rule once NiFi fills it in.
    const key = p['Idempotency-Key']!.replace('${uuid}', '0f8fad5b-d9cb-469f-a165-70867728950e');
    assert.notEqual(key, p['Idempotency-Key'], 'the key must come from ${uuid}');
    assert.ok(createAjv({ coerce: false }).validate(IdempotencyKey, key), `${key} is not a valid Idempotency-Key`);
  });

  test('is wired GenerateFlowFile → InvokeHTTP → LogAttribute, retrying with the same FlowFile', () => {
    const edges = flow.flowContents.connections.map((c) => ({
      from: c.source.id,
      to: c.destination.id,
      rels: [...c.selectedRelationships].sort(),
    }));
    assert.deepEqual(
      edges.find((e) => e.from === generate.identifier),
      { from: generate.identifier, to: invoke.identifier, rels: ['success'] }
    );
    assert.deepEqual(edges.find((e) => e.from === invoke.identifier && e.to === log.identifier)?.rels, [
      'No Retry',
      'Response',
    ]);
    assert.deepEqual(edges.find((e) => e.from === invoke.identifier && e.to === invoke.identifier)?.rels, [
      'Failure',
      'Retry',
    ]);
    // Every InvokeHTTP relationship goes somewhere, or FlowFiles would pile up.
    const handled = new Set([
      ...edges.filter((e) => e.from === invoke.identifier).flatMap((e) => e.rels),
      ...(invoke.autoTerminatedRelationships ?? []),
    ]);
    assert.deepEqual([...handled].sort(), ['Failure', 'No Retry', 'Original', 'Response', 'Retry']);
  });

  test('never talks to the Kubernetes API', () => {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /\/api\/v1\/namespaces\//);
    assert.doesNotMatch(text, /kubernetes\.default|:6443|serviceaccount\/token/);
  });
});
