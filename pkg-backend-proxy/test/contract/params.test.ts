import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { paramProblems, withDefaults } from '../../src/contract/params.ts';
import { parseCatalog } from '../../src/catalog/load.ts';
import { validateParams } from '../../src/catalog/params.ts';
import { KubeConfig } from '@kubernetes/client-node';
import type { ParamSchema, ParamsSchema, ParamValues } from '../../src/schemas/index.ts';
import { createAjv } from '../../src/validation/ajv.ts';
import { startFakeKube } from '../../../tests/fake-kube/index.ts';
import { build, launch } from '../helper.ts';
import { propertyRuns } from '../support/property-runs.ts';

// The contract's checker replaced ajv on the launch path so that the browser can run the very same code. ajv,
// which implements JSON Schema, stays here as the oracle: for generated templates and values, the proxy's launch
// check (catalog loading + validateParams, what POST /jobs runs) must flag exactly the fields ajv flags.
const ajv = createAjv({ coerce: false, useDefaults: true, allErrors: true });

function ajvFlags(schema: ParamsSchema, values: ParamValues): string[] {
  const validate = ajv.compile({ ...schema, additionalProperties: false });
  const copy = { ...values };
  if (validate(copy)) {
    return [];
  }
  const fields = (validate.errors ?? []).map((e) =>
    e.keyword === 'additionalProperties'
      ? String(e.params.additionalProperty)
      : e.keyword === 'required'
        ? String(e.params.missingProperty)
        : e.instancePath.slice(1)
  );
  return [...new Set(fields)].sort();
}

const NAMES = ['alpha', 'beta', 'gamma', 'delta'];
const PATTERNS = ['^[a-z]+$', '\\d', '^.{2,4}$', '^[^x]*$', '😀'];
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'abc', 'x', '42', 'ab😀', 'AB'));
const numberValue = fc.oneof(
  fc.integer({ min: -5, max: 15 }),
  fc.double({ min: -20, max: 20, noNaN: true }),
  fc.constantFrom(0, -0, 1.5, 10)
);
const bound = fc.option(fc.oneof(fc.integer({ min: -5, max: 15 }), fc.constantFrom(0.5, 2.5)), { nil: undefined });
const length = fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined });

const paramSchema: fc.Arbitrary<ParamSchema> = fc
  .oneof(
    fc.record({ type: fc.constant('boolean' as const), default: fc.option(fc.boolean(), { nil: undefined }) }),
    fc.record({
      type: fc.constantFrom('integer' as const, 'number' as const),
      minimum: bound,
      maximum: bound,
      enum: fc.option(fc.uniqueArray(fc.integer({ min: -5, max: 15 }), { minLength: 1, maxLength: 4 }), {
        nil: undefined,
      }),
      default: fc.option(numberValue, { nil: undefined }),
    }),
    fc.record({
      type: fc.constant('string' as const),
      minLength: length,
      maxLength: length,
      pattern: fc.option(fc.constantFrom(...PATTERNS), { nil: undefined }),
      enum: fc.option(fc.uniqueArray(text, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      default: fc.option(text, { nil: undefined }),
    })
  )
  .map(fitTogether);

/** Makes a generated parameter one the catalog loader accepts: ordered bounds, an enum and a default that fit. */
function fitTogether(generated: Record<string, unknown>): ParamSchema {
  const p = Object.fromEntries(Object.entries(generated).filter(([, v]) => v !== undefined)) as ParamSchema;
  if (p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum) {
    [p.minimum, p.maximum] = [p.maximum, p.minimum];
  }
  if (p.minLength !== undefined && p.maxLength !== undefined && p.minLength > p.maxLength) {
    [p.minLength, p.maxLength] = [p.maxLength, p.minLength];
  }
  const { enum: choices, default: fallback, ...rest } = p;
  const fits = ajv.compile(rest);
  const kept = choices?.filter((c) => fits(c));
  if (kept && kept.length > 0) {
    p.enum = kept;
  } else {
    delete p.enum;
  }
  if (fallback !== undefined && !ajv.compile({ ...rest, ...(p.enum && { enum: p.enum }) })(fallback)) {
    delete p.default;
  }
  return p;
}

const paramsSchema: fc.Arbitrary<ParamsSchema> = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.record({
      properties: fc
        .tuple(...names.map(() => paramSchema))
        .map((ps) => Object.fromEntries(names.map((n, i) => [n, ps[i]!]))),
      required: fc.subarray(names),
    })
  )
  .map(({ properties, required }) => ({ type: 'object' as const, properties, required }));

// Mostly declared names, and some the template does not have, including ones an object inherits.
const values: fc.Arbitrary<ParamValues> = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
        fc.constantFrom('other', '__proto__', 'constructor')
      ),
      fc.oneof(text, numberValue, fc.boolean())
    ),
    { maxLength: 5 }
  )
  .map((entries) => {
    const out: ParamValues = {};
    for (const [name, value] of entries) {
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });

/** Through the catalog loader, as the proxy reads templates (ids gen-0, gen-1, …); throws when it refuses one. */
function catalogOf(schemas: ParamsSchema[]) {
  const templates = schemas.map((params, i) => ({
    id: `gen-${i}`,
    title: 'Generated',
    description: 'A generated template.',
    image: 'flowkube/worker:0.1.0',
    command: ['true'],
    // The loader wants every parameter to reach the container.
    env: Object.keys(params.properties).map((name) => ({ name: `P_${name.toUpperCase()}`, fromParam: name })),
    params,
    resources: { requests: { cpu: '10m', memory: '8Mi' }, limits: { cpu: '10m', memory: '8Mi' } },
    timeoutSeconds: 60,
  }));
  return parseCatalog(JSON.stringify({ templates }), 'generated.yaml');
}

/** The template as the proxy would hold it, or undefined when the loader refuses it. */
function loadTemplate(params: ParamsSchema) {
  try {
    return catalogOf([params]).byId.get('gen-0');
  } catch {
    return undefined;
  }
}

test('the launch check flags exactly the fields JSON Schema (ajv) flags', () => {
  let generated = 0;
  let checked = 0;
  fc.assert(
    fc.property(paramsSchema, values, (schema, given) => {
      generated++;
      const template = loadTemplate(schema);
      fc.pre(template !== undefined);
      checked++;
      const expected = ajvFlags(template.params, given);
      const result = validateParams(template, given);
      const flagged = result.ok ? [] : result.fields.map((f) => f.field.replace(/^params\./, '')).sort();
      assert.deepEqual(flagged, expected);
      assert.deepEqual(Object.keys(paramProblems(template.params, given)).sort(), expected);
    }),
    { numRuns: propertyRuns(150, 400) }
  );
  // Most generated templates must be ones the loader accepts, or the generator tests the loader instead.
  assert.ok(checked > generated / 2, `the loader refused ${generated - checked} of ${generated} generated templates`);
});

test('defaults fill in what was not given and never overwrite what was', () => {
  fc.assert(
    fc.property(paramsSchema, values, (schema, given) => {
      const filled = withDefaults(schema, given);
      for (const [name, param] of Object.entries(schema.properties)) {
        const expected = Object.hasOwn(given, name) ? given[name] : param.default;
        assert.equal(filled[name], expected);
      }
    })
  );
});

test('POST /api/v1/jobs refuses exactly the fields the contract flags, and lets the rest through', async () => {
  const schemas = fc
    .sample(paramsSchema, 40)
    .filter((schema) => loadTemplate(schema) !== undefined)
    .slice(0, 12);
  const catalog = catalogOf(schemas);
  // A Kubernetes API that refuses the proxy's token: the cache never syncs, so a launch whose parameters pass is
  // answered 503 not_ready instead of making a Pod, and each request costs no more than the checks before it.
  const fake = await startFakeKube();
  const refused = new KubeConfig();
  refused.loadFromOptions(fake.kubeConfigOptions({ token: 'not-the-fake-token' }));
  const app = await build({ catalog, fake, ready: false, deps: { kubeConfig: refused } });
  const outcomes = { passed: 0, refused: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: schemas.length - 1 }), values, async (i, given) => {
        const res = await app.app.inject({
          method: 'POST',
          url: '/api/v1/jobs',
          headers: launch,
          payload: { template: `gen-${i}`, params: given },
        });
        if (Object.hasOwn(given, '__proto__')) {
          // Refused earlier still: Fastify's JSON parser rejects the body outright (prototype poisoning).
          assert.equal(res.statusCode, 400, res.body);
          return;
        }
        const expected = Object.keys(paramProblems(schemas[i]!, given)).map((name) => `params.${name}`);
        if (expected.length === 0) {
          outcomes.passed++;
          assert.equal(res.statusCode, 503, res.body);
          assert.equal(res.json().error.code, 'not_ready');
          return;
        }
        outcomes.refused++;
        assert.equal(res.statusCode, 400, res.body);
        const fields: Array<{ field: string }> = res.json().error.details.fields;
        assert.deepEqual(fields.map((f) => f.field).sort(), expected.sort());
      }),
      { numRuns: 200 }
    );
    // both ways through the route were taken; about one generated body in ten is valid, so the floor for those is
    // low enough that a fair draw of 200 never misses it (a floor of 20 failed on a draw of 19)
    assert.ok(outcomes.passed >= 5 && outcomes.refused >= 50, JSON.stringify(outcomes));
  } finally {
    await app.close();
    await fake.stop();
  }
});
