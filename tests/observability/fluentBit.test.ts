// What Fluent Bit will do with FlowKube's configuration, read from the configuration itself: which files it tails,
// how it parses the workers' JSON, and which Loki labels and structured metadata it sends.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Json } from './support/dashboards.ts';
import { readYaml } from './support/files.ts';
import {
  type Section,
  get,
  keyValueList,
  parseFluentBitConfig,
  renderChartConfig,
  sectionsNamed,
  wildcardMatches,
} from './support/fluentBitConfig.ts';

const FLOWKUBE_NAMESPACES = ['flowkube-jobs', 'flowkube-admin'];
const STREAM_LABELS = {
  namespace: "$kubernetes['namespace_name']",
  job_type: "$kubernetes['labels']['job_type']",
  container: "$kubernetes['container_name']",
  app: "$kubernetes['labels']['app.kubernetes.io/name']",
};

/** Namespaces a tail Path reads: kubelet names container log files <pod>_<namespace>_<container>-<id>.log. */
function tailedNamespaces(input: Section): string[] {
  return (get(input, 'Path') ?? '').split(',').map((path) => {
    const m = /^\/var\/log\/containers\/[^_/]*_([a-z0-9-]+)_[^_/]*\.log$/.exec(path.trim());
    assert.ok(m, `tail path ${path} is not limited to one namespace`);
    return m[1];
  });
}

describe('monitoring/fluent-bit-loki-values.yaml', () => {
  const values: Json = readYaml('monitoring/fluent-bit-loki-values.yaml');
  const rendered = renderChartConfig(values.config);
  const config = parseFluentBitConfig(rendered.fluentBitConf);
  const parsers = parseFluentBitConfig(rendered.customParsersConf);
  const workerOutput = sectionsNamed(config, 'OUTPUT', 'loki').find((o) => get(o, 'Match') === 'kube.*');

  test('tails only the FlowKube namespaces', () => {
    const inputs = sectionsNamed(config, 'INPUT');
    assert.ok(inputs.length > 0);
    const read = new Set<string>();
    for (const input of inputs) {
      assert.equal(get(input, 'Name'), 'tail', 'only container log files are read');
      for (const ns of tailedNamespaces(input)) {
        assert.ok(FLOWKUBE_NAMESPACES.includes(ns), ns);
        read.add(ns);
      }
    }
    assert.deepEqual([...read].sort(), [...FLOWKUBE_NAMESPACES].sort());
  });

  test('drops any record outside the FlowKube namespaces a second time, by Kubernetes metadata', () => {
    const [grep] = sectionsNamed(config, 'FILTER', 'grep');
    const [field, pattern] = (get(grep, 'Regex') ?? '').split(/\s+/);
    assert.equal(field, "$kubernetes['namespace_name']");
    const re = new RegExp(pattern);
    for (const ns of FLOWKUBE_NAMESPACES) {
      assert.ok(re.test(ns), ns);
    }
    for (const ns of ['kube-system', 'flowkube-monitoring', 'default', 'xflowkube-jobs']) {
      assert.ok(!re.test(ns), ns);
    }
  });

  test('parses the workers’ JSON with a json parser and adds the Pod labels', () => {
    const [kube] = sectionsNamed(config, 'FILTER', 'kubernetes');
    assert.equal(get(kube, 'Merge_Log'), 'On');
    assert.equal(get(kube, 'Labels'), 'On');
    assert.equal(get(kube, 'Keep_Log'), 'On', 'the original line is what Loki stores');
    const parser = sectionsNamed(parsers, 'PARSER').find((p) => get(p, 'Name') === get(kube, 'Merge_Parser'));
    assert.equal(parser && get(parser, 'Format'), 'json');
    assert.equal(get(kube, 'Merge_Log_Key'), 'worker');
  });

  test('sends bounded stream labels to Loki and the Pod name as structured metadata', () => {
    assert.ok(workerOutput, 'a loki output for kube.*');
    const loki = workerOutput;
    assert.deepEqual(keyValueList(get(loki, 'Labels') ?? ''), STREAM_LABELS);
    const metadata = keyValueList(get(loki, 'Structured_Metadata') ?? '');
    assert.equal(metadata.pod, "$kubernetes['pod_name']");
    assert.equal(metadata.level, "$worker['level']");
    // The labels and metadata are taken first; what is left must be `log` alone for Drop_Single_Key to send it raw.
    const removed = (get(loki, 'Remove_Keys') ?? '').split(',').map((k) => k.trim());
    assert.deepEqual(removed.sort(), ['_p', 'kubernetes', 'stream', 'time', 'worker']);
    assert.equal(get(loki, 'Drop_Single_Key'), 'raw');
  });

  test('the job Pods’ logs pass the kubernetes and grep filters into the worker output, with job_type', () => {
    const [jobs] = sectionsNamed(config, 'INPUT').filter((i) => tailedNamespaces(i).includes('flowkube-jobs'));
    const tag = (get(jobs, 'Tag') ?? '').replace('*', 'var.log.containers.x_flowkube-jobs_worker-1.log');
    for (const name of ['kubernetes', 'grep']) {
      const [filter] = sectionsNamed(config, 'FILTER', name);
      assert.ok(wildcardMatches(get(filter, 'Match') ?? '', tag), `${name} does not match ${tag}`);
    }
    const outputs = sectionsNamed(config, 'OUTPUT').filter((o) => wildcardMatches(get(o, 'Match') ?? '', tag));
    assert.deepEqual(outputs, [workerOutput]);
    assert.equal(keyValueList(get(workerOutput!, 'Labels') ?? '').job_type, STREAM_LABELS.job_type);
  });
});
