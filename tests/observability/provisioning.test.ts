// Grafana provisioning: the uids everyone refers to, the app's settings from the environment, and a dashboard
// provider path that is where docker-compose mounts the generated JSON.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Json, ROOT } from './support/dashboards.ts';
import { readText, readYaml } from './support/files.ts';

const datasources: Json[] = readYaml('provisioning/datasources/flowkube.yaml').datasources;

test('the data sources have the fixed uids, types and URLs from the environment', () => {
  const byUid = Object.fromEntries(datasources.map((d) => [d.uid, d]));
  assert.equal(byUid['flowkube-prometheus']?.type, 'prometheus');
  assert.equal(byUid['flowkube-loki']?.type, 'loki');
  assert.equal(byUid['flowkube-prometheus'].url, '${FLOWKUBE_PROMETHEUS_URL}');
  assert.equal(byUid['flowkube-loki'].url, '${FLOWKUBE_LOKI_URL}');
  // kube-prometheus-stack already provisions a default Prometheus; two defaults make Grafana refuse to start.
  assert.ok(datasources.every((d) => d.isDefault !== true));
});

test('the Loki data source links a log line’s pod to its job page', () => {
  const loki = datasources.find((d) => d.uid === 'flowkube-loki');
  const [field] = loki.jsonData.derivedFields;
  const m = new RegExp(field.matcherRegex).exec(
    JSON.stringify({ ts: 'x', level: 'INFO', pod: 'log-gen-x7k2p', msg: 'task 1' })
  );
  assert.equal(m?.[1], 'log-gen-x7k2p');
  assert.equal(field.url, '/a/flowkube-jobs-app/jobs/${__value.raw}');
});

test('the app is enabled with its proxy URL, data source uids and tokens from the environment', () => {
  const [app] = readYaml('provisioning/plugins/apps.yaml').apps;
  assert.equal(app.type, 'flowkube-jobs-app');
  assert.equal(app.disabled, false);
  assert.deepEqual(app.jsonData, {
    proxyUrl: '${FLOWKUBE_PROXY_URL}',
    lokiDatasourceUid: 'flowkube-loki',
    prometheusDatasourceUid: 'flowkube-prometheus',
  });
  assert.deepEqual(app.secureJsonData, {
    readToken: '${FLOWKUBE_READ_TOKEN}',
    launchToken: '${FLOWKUBE_LAUNCH_TOKEN}',
  });
  for (const uid of [app.jsonData.lokiDatasourceUid, app.jsonData.prometheusDatasourceUid]) {
    assert.ok(datasources.some((d) => d.uid === uid));
  }
});

test('no secret is written into a provisioning file', () => {
  for (const file of ['provisioning/plugins/apps.yaml', 'provisioning/datasources/flowkube.yaml']) {
    const text = readText(file);
    assert.doesNotMatch(text, /(token|password|secret)\w*:\s*(?!\$\{)\S+/i, file);
  }
});

test('the dashboard provider reads the folder docker-compose mounts, which holds both dashboards', () => {
  const [provider] = readYaml('provisioning/dashboards/flowkube.yaml').providers;
  assert.equal(provider.type, 'file');
  // .config/docker-compose-base.yaml mounts ./provisioning at /etc/grafana/provisioning.
  const prefix = '/etc/grafana/provisioning/';
  assert.ok(provider.options.path.startsWith(prefix));
  const local = join(ROOT, 'provisioning', provider.options.path.slice(prefix.length));
  assert.ok(existsSync(local), local);
  assert.deepEqual(readdirSync(local).sort(), ['logs.json', 'overview.json']);
});

test('the alert rules go to the same folder as the dashboards', () => {
  const [provider] = readYaml('provisioning/dashboards/flowkube.yaml').providers;
  const { groups } = readYaml('provisioning/alerting/flowkube-alerts.yaml');
  assert.ok(groups.every((g: Json) => g.folder === provider.folder));
});
