// Grafana provisioning, checked on what Grafana STORES: every file is expanded the way Grafana expands it
// (support/grafanaExpand.ts, from grafana/grafana pkg/services/provisioning/values/values.go) with the environment of
// each Grafana that loads it: the compose stack's and kube-prometheus-stack's.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { resolvedCompose } from '../deploy/lib/compose.ts';
import { type Json, ROOT } from './support/dashboards.ts';
import { filesUnder, readText, readYaml } from './support/files.ts';
import { type Env, expandAlertingFile, expandAll, referencedVariables } from './support/grafanaExpand.ts';

const DATASOURCES = 'provisioning/datasources/flowkube.yaml';
const APPS = 'provisioning/plugins/apps.yaml';
const ALERTS = 'provisioning/alerting/flowkube-alerts.yaml';

const composeEnv = resolvedCompose(ROOT).services.grafana!.environment as Env;
const helmGrafana = readYaml('monitoring/kube-prometheus-stack-values.yaml').grafana;
// Helm sets env from values and envValueFrom from Secrets; a stand-in value per Secret key is enough here.
const helmEnv: Env = {
  ...helmGrafana.env,
  ...Object.fromEntries(
    Object.entries(helmGrafana.envValueFrom as Record<string, Json>).map(([name, from]) => [
      name,
      `secret:${from.secretKeyRef.name}/${from.secretKeyRef.key}`,
    ])
  ),
};
const GRAFANAS: Array<[string, Env]> = [
  ['compose', composeEnv],
  ['kube-prometheus-stack', helmEnv],
];

for (const [name, env] of GRAFANAS) {
  describe(`what the ${name} Grafana stores`, () => {
    const datasources: Json[] = expandAll(readYaml(DATASOURCES), env).datasources;
    const byUid = Object.fromEntries(datasources.map((d) => [d.uid, d]));

    test('every variable the provisioning files use is set in that Grafana', () => {
      for (const file of [DATASOURCES, APPS]) {
        const missing = referencedVariables(readYaml(file)).filter((v) => !env[v]);
        assert.deepEqual(missing, [], `${file} refers to variables ${name} does not set (stored as empty strings)`);
      }
      const alerts = readYaml(ALERTS);
      const expandedParts = alerts.groups.map((g: Json) => ({
        ...g,
        rules: g.rules.map(({ annotations: _a, data, ...rest }: Json) => ({
          ...rest,
          data: data.map(({ model: _m, ...q }: Json) => q),
        })),
      }));
      assert.deepEqual(referencedVariables(expandedParts), [], `${ALERTS}: an expanded field refers to a variable`);
    });

    test('the data sources keep their fixed uids and get their URLs from the environment', () => {
      assert.equal(byUid['flowkube-prometheus']?.type, 'prometheus');
      assert.equal(byUid['flowkube-loki']?.type, 'loki');
      assert.equal(byUid['flowkube-prometheus'].url, env.FLOWKUBE_PROMETHEUS_URL);
      assert.equal(byUid['flowkube-loki'].url, env.FLOWKUBE_LOKI_URL);
      assert.match(byUid['flowkube-loki'].url, /^https?:\/\/\S+$/);
      // kube-prometheus-stack already provisions a default Prometheus; two defaults make Grafana refuse to start.
      assert.ok(datasources.every((d) => d.isDefault !== true));
    });

    test('the Loki derived field keeps ${__value.raw}, so a log line links to its job', () => {
      const [field] = byUid['flowkube-loki'].jsonData.derivedFields;
      assert.equal(field.url, '/a/flowkube-jobs-app/jobs/${__value.raw}');
      const m = new RegExp(field.matcherRegex).exec(
        JSON.stringify({ ts: 'x', level: 'INFO', pod: 'log-gen-x7k2p', msg: 'task 1' })
      );
      assert.equal(m?.[1], 'log-gen-x7k2p');
    });

    test('the app is enabled with its proxy URL, data source uids and tokens', () => {
      const [app] = expandAll(readYaml(APPS), env).apps;
      assert.equal(app.type, 'flowkube-jobs-app');
      assert.equal(app.disabled, false);
      assert.deepEqual(app.jsonData, {
        proxyUrl: env.FLOWKUBE_PROXY_URL,
        lokiDatasourceUid: 'flowkube-loki',
        prometheusDatasourceUid: 'flowkube-prometheus',
      });
      assert.deepEqual(app.secureJsonData, {
        readToken: env.FLOWKUBE_READ_TOKEN,
        launchToken: env.FLOWKUBE_LAUNCH_TOKEN,
      });
      for (const uid of [app.jsonData.lokiDatasourceUid, app.jsonData.prometheusDatasourceUid]) {
        assert.ok(byUid[uid], uid);
      }
    });

    test('alert rules keep their templates and PromQL as written', () => {
      const raw = readYaml(ALERTS);
      const stored = expandAlertingFile(raw, env);
      assert.deepEqual(stored, raw, 'Grafana would change something in the alert rules while provisioning them');
      assert.ok(readText(ALERTS).includes('{{ $labels.'), 'the annotations use $labels (stored raw)');
    });
  });
}

test('no secret is written into a provisioning file', () => {
  for (const file of [APPS, DATASOURCES]) {
    const text = readText(file);
    assert.doesNotMatch(text, /(token|password|secret)\w*:\s*(?!\$\{)\S+/i, file);
  }
});

// Grafana imports an enabled app's dashboard includes itself (pkg/services/plugindashboards/service/
// dashboard_updater.go: at start-up for every enabled app whose dashboards are not imported yet, and when an app
// is enabled), with overwrite. A file-provisioned dashboard under the same uid cannot be overwritten by that import,
// so each Grafana must get the dashboards one way only: FlowKube's way is the app, what catalog users get too.
describe('each FlowKube dashboard reaches Grafana one way: the app includes', () => {
  const plugin = JSON.parse(readText('src/plugin.json'));
  const includedUids = plugin.includes
    .filter((i: Json) => i.type === 'dashboard')
    .map((i: Json) => JSON.parse(readText(join('src', i.path))).uid);

  test('the app includes the three dashboards', () => {
    assert.deepEqual(includedUids.sort(), ['flowkube-audit', 'flowkube-logs', 'flowkube-overview']);
  });

  test('no dashboard file or dashboard provider under provisioning/ (compose mounts it whole)', () => {
    const jsonUids = filesUnder('provisioning', ['.json']).map((f) => JSON.parse(readText(f)).uid);
    assert.deepEqual(
      jsonUids.filter((uid) => includedUids.includes(uid)),
      []
    );
    assert.equal(existsSync(join(ROOT, 'provisioning', 'dashboards')), false, 'provisioning/dashboards/ is back');
  });

  test("no ConfigMap for kube-prometheus-stack's dashboards sidecar", () => {
    const kustomization = readYaml('monitoring/grafana/kustomization.yaml');
    const label = helmGrafana.sidecar.dashboards?.label ?? 'grafana_dashboard';
    for (const generator of kustomization.configMapGenerator) {
      assert.equal(generator.options?.labels?.[label], undefined, `${generator.name} feeds the dashboards sidecar`);
      for (const file of generator.files) {
        if (file.endsWith('.json')) {
          assert.ok(!includedUids.includes(JSON.parse(readText(join('monitoring/grafana', file))).uid), file);
        }
      }
    }
  });
});

// Alert rule groups name their folder by title (rules_types.go: `folder`, no uid); a dashboard provider with a
// `folder`/`folderUid` would create or look up the same folder another way, in parallel. Only the alert rules do it.
test('the FlowKube folder is created by one lookup only: the alert rules, by title', () => {
  const { groups } = readYaml(ALERTS);
  assert.deepEqual([...new Set(groups.map((g: Json) => g.folder))], ['FlowKube']);
  const providers = filesUnder('provisioning', ['.yaml', '.yml']).flatMap((f) => parse(readText(f)).providers ?? []);
  assert.deepEqual(providers, []);
  const kustomization = readYaml('monitoring/grafana/kustomization.yaml');
  assert.ok(kustomization.configMapGenerator.every((g: Json) => !g.options?.annotations?.grafana_folder));
});

describe('unsigned loading lists the app and its nested panel wherever Grafana is configured', () => {
  const ids = [
    JSON.parse(readText('src/plugin.json')).id,
    ...filesUnder('src/panels', ['plugin.json']).map((f) => JSON.parse(readText(f)).id),
  ].sort();
  const list = (value: unknown) =>
    String(value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort();

  test('there is a nested panel to list', () => {
    assert.deepEqual(ids, ['flowkube-jobs-app', 'flowkube-launcher-panel']);
  });

  test('docker-compose.yaml (as Compose resolves it) and .config/docker-compose-base.yaml', () => {
    assert.deepEqual(list(composeEnv.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS), ids);
    const base = readYaml('.config/docker-compose-base.yaml').services.grafana.environment;
    if ('GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS' in base) {
      assert.deepEqual(list(base.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS), ids);
    }
  });

  test("kube-prometheus-stack's grafana.ini", () => {
    assert.deepEqual(list(helmGrafana['grafana.ini'].plugins.allow_loading_unsigned_plugins), ids);
  });
});

test("kube-prometheus-stack installs the app zip in GF_PLUGINS_PREINSTALL_SYNC's id@version@url form", () => {
  const version = JSON.parse(readText('package.json')).version;
  const entries = (helmGrafana.plugins as string[]).map((p) => p.split('@'));
  const app = entries.find(([id]) => id === 'flowkube-jobs-app');
  assert.ok(app, 'grafana.plugins does not install flowkube-jobs-app');
  assert.equal(app.length, 3, 'id@version@url');
  assert.equal(app[1], version, 'the version of the zip `npm run package` writes');
  assert.match(app[2]!, new RegExp(`^https?://\\S+/flowkube-jobs-app-${version.replace(/\./g, '\\.')}\\.zip$`));
  assert.ok(!(helmGrafana.plugins as string[]).some((p) => p.includes(';')), 'the old url;id form');
  const [appsFile] = readYaml(APPS).apps;
  assert.equal(appsFile.type, app[0], 'apps.yaml enables the plugin that is installed');
});
