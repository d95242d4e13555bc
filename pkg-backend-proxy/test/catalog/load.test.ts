import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { loadCatalog, parseCatalog } from '../../src/catalog/load.ts';
import { DEFAULT_CATALOG } from '../../src/config.ts';

const FILE = 'pkg-backend-proxy/catalog/default.yaml';
const defaultText = readFileSync(DEFAULT_CATALOG, 'utf8');

function broken(edit: (doc: any) => void): string {
  const doc = parse(defaultText);
  edit(doc);
  return stringify(doc);
}

function failsWith(edit: (doc: any) => void, message: string) {
  assert.throws(() => parseCatalog(broken(edit), FILE), { message: `catalog ${FILE}: ${message}` });
}

test('the default catalog loads with the three workers and their contract', () => {
  const c = loadCatalog(DEFAULT_CATALOG);
  assert.deepEqual(
    c.templates.map((t) => t.id),
    ['basic', 'cpu-load', 'log-gen']
  );
  const basic = c.byId.get('basic')!;
  assert.equal(basic.params.properties.message?.maxLength, 256);
  assert.equal(basic.params.properties.message?.default, 'Hello from FlowKube');
  const cpu = c.byId.get('cpu-load')!;
  assert.deepEqual(
    [cpu.params.properties.durationSeconds?.minimum, cpu.params.properties.durationSeconds?.maximum],
    [1, 3600]
  );
  const log = c.byId.get('log-gen')!;
  assert.equal(log.params.properties.tasks?.default, 15);
  assert.deepEqual(
    log.env?.map((e) => e.name),
    ['TASKS', 'TASK_INTERVAL_MS', 'FAIL', 'SEED']
  );
  for (const t of c.templates) {
    assert.equal(t.image, 'flowkube/worker:0.1.0');
    assert.equal(t.command[0], 'python');
    assert.ok(t.timeoutSeconds > 0 && (t.maxConcurrent ?? 0) > 0);
  }
});

test('a wrong type names the file and the field path', () => {
  failsWith(
    (d) => (d.templates[1].params.properties.durationSeconds.maximum = 'lots'),
    'templates[1].params.properties.durationSeconds.maximum must be number'
  );
});

test('unknown and missing fields are named', () => {
  failsWith((d) => (d.templates[0].hostAliases = []), 'templates[0].hostAliases is not an allowed field');
  failsWith((d) => delete d.templates[2].resources.limits.memory, 'templates[2].resources.limits.memory is required');
  failsWith((d) => (d.templates = []), 'templates must NOT have fewer than 1 items');
});

test('unions say what they accept', () => {
  failsWith(
    (d) => (d.templates[0].env[0] = { name: 'MESSAGE', fromParm: 'message' }),
    'templates[0].env[0] must be {name, value}, {name, fromParam} or {name, valueFrom}'
  );
  failsWith(
    (d) => (d.templates[0].params.properties.message.type = 'text'),
    'templates[0].params.properties.message.type must be one of string, integer, number, boolean'
  );
});

test('semantic checks: ids, references, defaults, quantities', () => {
  failsWith((d) => (d.templates[2].id = 'basic'), 'templates[2].id "basic" is used by another template');
  failsWith(
    (d) => (d.templates[1].env[0].fromParam = 'duration'),
    'templates[1].env[0].fromParam refers to "duration", which is not in params.properties'
  );
  failsWith(
    (d) => (d.templates[1].args = [{ fromParam: 'nope' }]),
    'templates[1].args[0].fromParam refers to "nope", which is not in params.properties'
  );
  failsWith(
    (d) => (d.templates[1].params.properties.durationSeconds.default = 0),
    "templates[1].params.properties.durationSeconds.default must be >= 1 (it must fit the parameter's own schema)"
  );
  failsWith(
    (d) => (d.templates[0].params.properties.sleepSeconds.default = '5'),
    "templates[0].params.properties.sleepSeconds.default must be integer (it must fit the parameter's own schema)"
  );
  failsWith(
    (d) => (d.templates[0].resources.requests.cpu = 'half'),
    'templates[0].resources.requests.cpu "half" is not a Kubernetes quantity'
  );
  failsWith(
    (d) => (d.templates[0].resources.requests.memory = '1Gi'),
    'templates[0].resources.requests.memory must not exceed resources.limits.memory'
  );
  failsWith(
    (d) => d.templates[0].env.push({ name: 'POD_NAME', value: 'x' }),
    'templates[0].env[2].name POD_NAME is set by the proxy itself and cannot be redefined'
  );
  failsWith(
    (d) => (d.templates[1].params.properties.extra = { type: 'string' }),
    'templates[1].params.properties.extra is not passed to the container (no env or args item has fromParam: extra)'
  );
  failsWith(
    (d) => (d.templates[1].params.properties.durationSeconds.minimum = 5000),
    'templates[1].params.properties.durationSeconds.minimum must not exceed maximum'
  );
  failsWith(
    (d) => (d.templates[0].params.properties.message.pattern = '(['),
    'templates[0].params.properties.message.pattern is not a valid regular expression'
  );
});

test('unreadable files and bad YAML name the file', () => {
  assert.throws(() => loadCatalog('/nonexistent/catalog.yaml'), {
    message: 'catalog /nonexistent/catalog.yaml: cannot read the file (ENOENT)',
  });
  assert.throws(() => parseCatalog('templates: [\n', FILE), {
    message: /^catalog pkg-backend-proxy\/catalog\/default\.yaml: is not valid YAML \(/,
  });
});
