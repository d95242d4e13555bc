// The Helm values files against schemas of the chart keys FlowKube relies on (helm cannot run here), and against
// each other: the names one file gives must be the names the others use.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { type Json, ROOT } from './support/dashboards.ts';
import { kubectlPath, kustomize } from '../deploy/lib/kubectl-kustomize.ts';
import { manifestsIn, readText, readYaml } from './support/files.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
for (const name of ['loki-single-node', 'loki-multi-node', 'fluent-bit', 'kube-prometheus-stack']) {
  ajv.addSchema(JSON.parse(readText(`tests/observability/schemas/${name}.schema.json`)), `${name}.schema.json`);
}

function valid(schema: string, data: unknown): string {
  const validate = ajv.getSchema(schema);
  assert.ok(validate, schema);
  return validate(data) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

const VALUES = {
  'loki-single-node.schema.json': 'monitoring/loki-single-node-values.yaml',
  'loki-multi-node.schema.json': 'monitoring/loki-multi-node-values.yaml',
  'fluent-bit.schema.json': 'monitoring/fluent-bit-loki-values.yaml',
  'kube-prometheus-stack.schema.json': 'monitoring/kube-prometheus-stack-values.yaml',
};

describe('values files match the chart keys FlowKube relies on', () => {
  for (const [schema, file] of Object.entries(VALUES)) {
    test(file, () => {
      assert.equal(valid(schema, readYaml(file)), '');
    });
  }

  test('the schemas reject what would break an install', () => {
    const single = readYaml(VALUES['loki-single-node.schema.json']);
    assert.match(
      valid('loki-single-node.schema.json', {
        ...single,
        loki: { ...single.loki, commonConfig: { replication_factor: 3 } },
      }),
      /replication_factor/
    );
    const kps = readYaml(VALUES['kube-prometheus-stack.schema.json']);
    const noHeader = structuredClone(kps);
    noHeader.grafana['grafana.ini'].dataproxy.send_user_header = false;
    assert.match(valid('kube-prometheus-stack.schema.json', noHeader), /send_user_header/);
    const noLabel = structuredClone(kps);
    noLabel['kube-state-metrics'].metricLabelsAllowlist = ['pods=[app]'];
    assert.match(valid('kube-prometheus-stack.schema.json', noLabel), /metricLabelsAllowlist/);
  });
});

// k3s has no separate controller manager, scheduler, kube-proxy or etcd with the metrics endpoints the chart scrapes:
// left on, their Down alerts fire on day one.
test('the k3s values turn off the control-plane scrapes k3s does not expose, and the README installs them on k3s', () => {
  const k3s = readYaml('monitoring/kube-prometheus-stack-k3s-values.yaml');
  for (const component of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy']) {
    assert.equal(k3s[component]?.enabled, false, component);
  }
  assert.match(
    readText('monitoring/README.md'),
    /-f monitoring\/kube-prometheus-stack-k3s-values\.yaml/,
    'the install steps must say when to add the k3s values'
  );
});

// The OSS Loki chart lives in grafana-community/helm-charts since March 2026; grafana/loki is for GEL only.
test('Loki is installed from grafana-community/loki at the version the values are written for', () => {
  const readme = readText('monitoring/README.md');
  assert.match(readme, /helm repo add grafana-community https:\/\/grafana-community\.github\.io\/helm-charts/);
  assert.doesNotMatch(readme, /install loki grafana\/loki/);
  const installs = [...readme.matchAll(/install loki grafana-community\/loki --version (\S+)/g)].map((m) => m[1]);
  assert.equal(installs.length, 2, 'single and multi node');
  for (const file of ['monitoring/loki-single-node-values.yaml', 'monitoring/loki-multi-node-values.yaml']) {
    const named = /grafana-community\/loki chart (\S+)/.exec(readText(file))?.[1];
    assert.ok(named, `${file} does not say which chart version it is written for`);
    assert.deepEqual([...new Set(installs)], [named], file);
    // 12.0.0 changed the default deploymentMode: the values must not rely on it.
    assert.ok(readYaml(file).deploymentMode, `${file}: set deploymentMode explicitly`);
  }
});

describe('the values files agree with each other and with the rest of FlowKube', () => {
  const kps = readYaml('monitoring/kube-prometheus-stack-values.yaml');
  const grafana = kps.grafana;

  test('the multi-node schema config stores the index where the chunks go', () => {
    const multi = readYaml('monitoring/loki-multi-node-values.yaml');
    for (const config of multi.loki.schemaConfig.configs) {
      assert.equal(config.object_store, multi.loki.storage.type);
    }
  });

  test('the ServiceMonitor selects the proxy Service of k8s/base by its label and named port', () => {
    const [monitor] = kps.prometheus.additionalServiceMonitors;
    // Without jobLabel the job label is the Service name; dashboards and alerts match job=~".*flowkube-proxy.*".
    assert.equal(monitor.jobLabel, undefined);
    assert.deepEqual(monitor.selector.matchLabels, { 'app.kubernetes.io/name': 'flowkube-proxy' });
    assert.deepEqual(monitor.namespaceSelector.matchNames, ['flowkube-admin']);
    assert.deepEqual(
      monitor.endpoints.map((e: Json) => [e.port, e.path]),
      [['http', '/metrics']]
    );
    const service = manifestsIn('k8s/base').find((o) => o.kind === 'Service' && o.metadata?.name === 'flowkube-proxy');
    assert.ok(service, 'k8s/base has no Service flowkube-proxy');
    assert.equal(service.metadata.namespace, 'flowkube-admin');
    assert.equal(service.metadata.labels['app.kubernetes.io/name'], 'flowkube-proxy');
    assert.ok(service.spec.ports.some((p: Json) => p.name === 'http'));
  });

  test('Grafana gets every environment variable the provisioning files use', () => {
    const provided = new Set([...Object.keys(grafana.env), ...Object.keys(grafana.envValueFrom)]);
    const files = ['provisioning/plugins/apps.yaml', 'provisioning/datasources/flowkube.yaml'];
    const used = files.flatMap((f) => [...readText(f).matchAll(/\$\{?(FLOWKUBE_\w+)\}?/g)].map((m) => m[1]));
    assert.ok(used.length >= 5);
    for (const name of used) {
      assert.ok(provided.has(name), `${name} is used by provisioning/ but not set in grafana.env / envValueFrom`);
    }
    assert.equal(grafana.env.FLOWKUBE_PROXY_URL, 'http://flowkube-proxy.flowkube-admin.svc:8080');
    for (const ref of Object.values(grafana.envValueFrom) as Json[]) {
      assert.equal(ref.secretKeyRef.name, 'flowkube-proxy-tokens');
      assert.ok(['read-token', 'launch-token'].includes(ref.secretKeyRef.key));
    }
  });

  test('the Grafana ConfigMaps of monitoring/grafana carry the labels the sidecars watch, from files that exist', () => {
    const kustomization = readYaml('monitoring/grafana/kustomization.yaml');
    assert.equal(kustomization.namespace, 'flowkube-monitoring');
    const byName = new Map(kustomization.configMapGenerator.map((g: Json) => [g.name, g]));
    for (const generator of kustomization.configMapGenerator) {
      for (const file of generator.files) {
        assert.ok(existsSync(join(ROOT, 'monitoring/grafana', file)), `${generator.name}: ${file} does not exist`);
      }
    }
    for (const [kind, sidecar] of Object.entries(grafana.sidecar) as Array<[string, Json]>) {
      const generator = [...byName.values()].find(
        (g: Json) => g.options?.labels?.[sidecar.label] === sidecar.labelValue
      );
      assert.ok(generator, `no ConfigMap carries ${sidecar.label}=${sidecar.labelValue} for the ${kind} sidecar`);
    }
    for (const mount of grafana.extraConfigmapMounts) {
      const generator = byName.get(mount.configMap) as Json;
      assert.ok(generator, `${mount.configMap} is mounted but not generated`);
      assert.ok(
        generator.files.some((f: string) => f.endsWith(`/${mount.subPath}`)),
        `${mount.subPath} is not in ${mount.configMap}`
      );
    }
  });

  // The README's own command, rendered by the real kustomize: what kube-prometheus-stack's Grafana mounts and its
  // sidecars pick up, byte for byte the files of provisioning/.
  test('kubectl kustomize --load-restrictor LoadRestrictionsNone monitoring/grafana gives the provisioning files', () => {
    assert.match(
      readText('monitoring/README.md'),
      /kubectl kustomize --load-restrictor LoadRestrictionsNone monitoring\/grafana \| kubectl apply -f -/
    );
    const objects = kustomize(join(ROOT, 'monitoring/grafana'), kubectlPath(), [
      '--load-restrictor',
      'LoadRestrictionsNone',
    ]) as Json[];
    const byName = new Map(objects.map((o) => [o.metadata.name, o]));
    assert.deepEqual([...byName.keys()].sort(), [
      'flowkube-grafana-alerts',
      'flowkube-grafana-app',
      'flowkube-grafana-datasources',
    ]);
    for (const o of objects) {
      assert.equal(o.kind, 'ConfigMap');
      assert.equal(o.metadata.namespace, 'flowkube-monitoring');
    }
    assert.equal(byName.get('flowkube-grafana-app').data['apps.yaml'], readText('provisioning/plugins/apps.yaml'));
    assert.equal(
      byName.get('flowkube-grafana-datasources').data['flowkube.yaml'],
      readText('provisioning/datasources/flowkube.yaml')
    );
    assert.equal(byName.get('flowkube-grafana-datasources').metadata.labels.grafana_datasource, '1');
    assert.equal(byName.get('flowkube-grafana-alerts').metadata.labels.grafana_alert, '1');
    const mount = grafana.extraConfigmapMounts.find((m: Json) => m.configMap === 'flowkube-grafana-app');
    assert.ok(mount && mount.subPath in byName.get('flowkube-grafana-app').data, 'the mounted key exists');
  });

  test('Grafana and Fluent Bit talk to the Loki the Loki values create', () => {
    const fluentBit = readText('monitoring/fluent-bit-loki-values.yaml');
    for (const file of ['monitoring/loki-single-node-values.yaml', 'monitoring/loki-multi-node-values.yaml']) {
      assert.equal(readYaml(file).gateway.enabled, true, `${file}: the loki-gateway Service must exist`);
    }
    assert.match(grafana.env.FLOWKUBE_LOKI_URL, /^http:\/\/loki-gateway\.flowkube-monitoring\.svc/);
    assert.match(fluentBit, /Host\s+loki-gateway\.flowkube-monitoring\.svc/);
  });

  test('the Loki ruler rules reach the ruler through the rules sidecar', () => {
    const configMap = readYaml('monitoring/flowkube-loki-rules.yaml');
    for (const file of ['monitoring/loki-single-node-values.yaml', 'monitoring/loki-multi-node-values.yaml']) {
      const values = readYaml(file);
      assert.ok(values.sidecar.rules.label in configMap.metadata.labels, file);
      // With auth_enabled false the tenant is "fake": the ruler reads <directory>/fake.
      assert.equal(dirname(values.sidecar.rules.folder), values.loki.rulerConfig.storage.local.directory, file);
      assert.equal(values.sidecar.rules.folder.split('/').at(-1), 'fake');
    }
  });

  test('the PrometheusRule is selected by the stack’s Prometheus', () => {
    const spec = kps.prometheus.prometheusSpec;
    const rule = readYaml('monitoring/flowkube-prometheusrule.yaml');
    assert.ok(spec.ruleSelectorNilUsesHelmValues === false || rule.metadata.labels.release === 'kube-prometheus-stack');
  });
});
