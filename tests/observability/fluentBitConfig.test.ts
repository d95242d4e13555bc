import assert from 'node:assert/strict';
import { test } from 'node:test';
import { get, keyValueList, parseFluentBitConfig, sectionsNamed } from './support/fluentBitConfig.ts';

test('reads sections with their entries in order, keeping repeated keys', () => {
  const sections = parseFluentBitConfig(`
# comment
[SERVICE]
    Flush        1
    Parsers_File a.conf
    Parsers_File b.conf

[INPUT]
    Name   tail
    Path   /var/log/containers/*_x_*.log, /other
`);
  assert.deepEqual(sections, [
    {
      name: 'SERVICE',
      entries: [
        ['Flush', '1'],
        ['Parsers_File', 'a.conf'],
        ['Parsers_File', 'b.conf'],
      ],
    },
    {
      name: 'INPUT',
      entries: [
        ['Name', 'tail'],
        ['Path', '/var/log/containers/*_x_*.log, /other'],
      ],
    },
  ]);
});

test('section names and keys are case-insensitive, as in Fluent Bit', () => {
  const [output] = parseFluentBitConfig('[Output]\n  name loki\n  MATCH kube.*');
  assert.equal(output.name, 'OUTPUT');
  assert.equal(get(output, 'Name'), 'loki');
  assert.equal(get(output, 'match'), 'kube.*');
  assert.equal(get(output, 'Host'), undefined);
  assert.equal(sectionsNamed([output], 'OUTPUT', 'loki').length, 1);
  assert.equal(sectionsNamed([output], 'OUTPUT', 'es').length, 0);
});

test('skips @INCLUDE / @SET directives and comments', () => {
  const sections = parseFluentBitConfig('@SET a=b\n@INCLUDE x.conf\n[FILTER]\n  # off\n  Name grep');
  assert.deepEqual(sections, [{ name: 'FILTER', entries: [['Name', 'grep']] }]);
});

test('rejects entries outside a section, keys without value and broken headers, naming the line', () => {
  assert.throws(() => parseFluentBitConfig('Name tail'), /line 1: .*outside any \[SECTION\]/);
  assert.throws(() => parseFluentBitConfig('[INPUT]\n  Name'), /line 2: .*no value/);
  assert.throws(() => parseFluentBitConfig('[INPUT\n  Name tail'), /line 1: malformed section header/);
});

test('splits the loki output key=value lists, record accessors included', () => {
  assert.deepEqual(
    keyValueList("namespace=$kubernetes['namespace_name'], app=$kubernetes['labels']['app.kubernetes.io/name']"),
    {
      namespace: "$kubernetes['namespace_name']",
      app: "$kubernetes['labels']['app.kubernetes.io/name']",
    }
  );
  assert.throws(() => keyValueList('namespace'), /not key=value/);
});
