import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../src/catalog/load.ts';
import { validateParams } from '../../src/catalog/params.ts';
import { DEFAULT_CATALOG } from '../../src/config.ts';

const catalog = loadCatalog(DEFAULT_CATALOG);
const basic = catalog.byId.get('basic')!;
const cpu = catalog.byId.get('cpu-load')!;
const logGen = catalog.byId.get('log-gen')!;

test('defaults are filled and the input is left alone', () => {
  const input = { sleepSeconds: 1 };
  assert.deepEqual(validateParams(basic, input), {
    ok: true,
    values: { sleepSeconds: 1, message: 'Hello from FlowKube' },
  });
  assert.deepEqual(input, { sleepSeconds: 1 });
  assert.deepEqual(validateParams(logGen, undefined), {
    ok: true,
    values: { tasks: 15, taskIntervalMs: 500, fail: false },
  });
});

test('every bad field is named with its params. path', () => {
  const r = validateParams(basic, { message: 'x'.repeat(257), sleepSeconds: 3601, colour: 'red' });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.fields.map((f) => f.field).sort(), [
    'params.colour',
    'params.message',
    'params.sleepSeconds',
  ]);
  assert.deepEqual(!r.ok && r.fields.find((f) => f.field === 'params.colour'), {
    field: 'params.colour',
    message: 'is not a parameter of template "basic"',
  });
});

test('no type coercion: a numeric string is not an integer, "true" is not a boolean', () => {
  const r = validateParams(cpu, { durationSeconds: '5' });
  assert.deepEqual(r, { ok: false, fields: [{ field: 'params.durationSeconds', message: 'must be a number' }] });
  const b = validateParams(logGen, { fail: 'true' });
  assert.deepEqual(b, { ok: false, fields: [{ field: 'params.fail', message: 'must be true or false' }] });
});

test('bounds, fractions and non-finite numbers are refused', () => {
  assert.deepEqual(validateParams(cpu, { durationSeconds: 0 }), {
    ok: false,
    fields: [{ field: 'params.durationSeconds', message: 'must be at least 1' }],
  });
  assert.equal(validateParams(cpu, { durationSeconds: 1.5 }).ok, false);
  assert.equal(validateParams(cpu, { durationSeconds: Infinity }).ok, false);
  assert.equal(validateParams(cpu, { durationSeconds: 3600 }).ok, true);
});

test('a prototype-looking key is just an unknown param', () => {
  const input = JSON.parse('{"__proto__": {"x": 1}}');
  const r = validateParams(cpu, input);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.fields[0]?.field, 'params.__proto__');
});
