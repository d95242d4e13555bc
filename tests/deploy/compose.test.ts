// The compose stack cannot be started here (no Docker engine), so it is checked statically: Debian's docker-compose
// 1.29 validates and resolves the file; then every path, port, service name, URL and credential file the services
// and their configs refer to must line up. A real Prometheus' promtool checks the Prometheus config.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  type ComposeConfig,
  containerPorts,
  envRefs,
  hostPortRefs,
  mounts,
  resolvedCompose,
  startOrder,
} from './lib/compose.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const composeDir = join(root, 'deploy', 'compose');
const read = (...p: string[]) => readFileSync(join(root, ...p), 'utf8');

// The stack names every part agreed on (provisioning, manifests, README).
const STACK_PORTS: Record<string, number | undefined> = {
  grafana: 3000,
  k3s: 6443,
  proxy: 8080,
  loki: 3100,
  'fluent-bit': undefined,
  prometheus: 9090,
};
// Host paths that are not in the repository on purpose: the Docker socket (for `docker save` of the worker image)
// and dist/, which `npm run build` produces before `docker compose up`.
const EXTERNAL_OR_BUILT = ['/var/run/docker.sock', join(root, 'dist')];

let config: ComposeConfig;

describe('docker-compose.yaml', () => {
  test('docker-compose 1.29 accepts it (config -q)', () => {
    execFileSync('docker-compose', ['-f', 'docker-compose.yaml', 'config', '-q'], { cwd: root, stdio: 'pipe' });
    config = resolvedCompose(root);
    assert.ok(config.services.grafana, 'no grafana service');
  });

  test('it has the agreed services, listening on the agreed ports', () => {
    for (const [name, port] of Object.entries(STACK_PORTS)) {
      const service = config.services[name];
      assert.ok(service, `service ${name} is missing`);
      if (port !== undefined) {
        assert.ok(containerPorts(service).includes(port), `${name} does not listen on ${port}`);
      }
    }
  });

  test('every bind-mounted host path, build context and Dockerfile exists', () => {
    const missing: string[] = [];
    for (const [name, service] of Object.entries(config.services)) {
      for (const m of mounts(service)) {
        if (m.bind && !EXTERNAL_OR_BUILT.includes(m.source) && !existsSync(m.source)) {
          missing.push(`${name}: volume source ${m.source}`);
        }
        if (!m.bind && !(config.volumes && m.source in config.volumes)) {
          missing.push(`${name}: named volume ${m.source} is not declared`);
        }
      }
      if (service.build) {
        const dockerfile = join(service.build.context, service.build.dockerfile ?? 'Dockerfile');
        for (const path of [service.build.context, dockerfile]) {
          if (!existsSync(path)) {
            missing.push(`${name}: build path ${relative(root, path)}`);
          }
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  test('start-up is ordered: no cycles, conditions only on what can satisfy them', () => {
    const order = startOrder(config);
    assert.ok(order.indexOf('k3s') < order.indexOf('proxy'));
    assert.ok(order.indexOf('proxy') < order.indexOf('grafana'));
    for (const [name, service] of Object.entries(config.services)) {
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = config.services[dep]!;
        if (condition === 'service_healthy') {
          assert.ok(target.healthcheck?.test, `${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
        } else if (condition === 'service_completed_successfully') {
          assert.equal(target.restart ?? 'no', 'no', `${name} waits for one-shot ${dep}, which must not restart`);
        } else {
          assert.fail(`${name} → ${dep}: use a condition (service_healthy or service_completed_successfully)`);
        }
      }
    }
  });

  test('the grafana service gives provisioning every variable it reads, pointing at compose services', () => {
    const grafana = config.services.grafana!;
    const env = grafana.environment ?? {};
    const provisioning = join(root, 'provisioning');
    const texts = (readdirSync(provisioning, { recursive: true }) as string[])
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => readFileSync(join(provisioning, f), 'utf8'));
    const vars = [...new Set(texts.flatMap(envRefs))].filter((v) => v.startsWith('FLOWKUBE_'));
    assert.ok(vars.includes('FLOWKUBE_PROXY_URL'), 'provisioning does not read FLOWKUBE_PROXY_URL');
    for (const v of vars) {
      assert.ok(env[v] !== undefined && env[v] !== null && env[v] !== '', `grafana does not set ${v}`);
      for (const { host, port, ref } of hostPortRefs(String(env[v]))) {
        assert.ok(config.services[host], `${v}=${ref}: no compose service ${host}`);
        assert.ok(
          containerPorts(config.services[host]!).includes(port),
          `${v}=${ref}: ${host} does not listen on ${port}`
        );
      }
    }
    // Service URLs written out in provisioning (comments and defaults) must name compose services too.
    for (const { host, port, ref } of texts.flatMap(hostPortRefs)) {
      assert.ok(config.services[host], `provisioning mentions ${ref}: no compose service ${host}`);
      assert.ok(
        containerPorts(config.services[host]!).includes(port),
        `provisioning: ${host} does not listen on ${port}`
      );
    }
    // Paths provisioning files give Grafana (the dashboards provider) exist in the mounted folder.
    for (const m of texts.join('\n').matchAll(/\/etc\/grafana\/provisioning\/([\w./-]+)/g)) {
      assert.ok(existsSync(join(provisioning, m[1]!)), `provisioning refers to ${m[0]}, not in ./provisioning`);
    }
    // The same tokens on both sides of the data proxy.
    const proxyEnv = config.services.proxy!.environment ?? {};
    assert.equal(env.FLOWKUBE_READ_TOKEN, proxyEnv.FLOWKUBE_READ_TOKEN);
    assert.equal(env.FLOWKUBE_LAUNCH_TOKEN, proxyEnv.FLOWKUBE_LAUNCH_TOKEN);
    assert.notEqual(proxyEnv.FLOWKUBE_READ_TOKEN, proxyEnv.FLOWKUBE_LAUNCH_TOKEN);
    assert.equal(env.GF_DATAPROXY_SEND_USER_HEADER, 'true');
    const unsigned = String(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
    assert.ok(unsigned.includes('flowkube-jobs-app') && unsigned.includes('flowkube-launcher-panel'));
    const targets = mounts(grafana).map((m) => `${m.source}:${m.target}`);
    assert.ok(targets.includes(`${join(root, 'provisioning')}:/etc/grafana/provisioning`));
    assert.ok(targets.includes(`${join(root, 'dist')}:/var/lib/grafana/plugins/flowkube-jobs-app`));
  });

  test('every service URL in deploy/compose configs names a compose service and one of its ports', () => {
    const k3s = config.services.k3s!;
    // The kubelet's port is internal to the compose network (Prometheus scrapes cAdvisor on it).
    assert.ok(containerPorts(k3s).includes(10250), 'k3s must expose the kubelet port 10250');
    const refs = [
      ...['fluent-bit.yaml', 'k3s-setup.sh'].flatMap((f) => hostPortRefs(read('deploy', 'compose', f))),
      ...(
        parse(read('deploy', 'compose', 'prometheus.yml')) as {
          scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
        }
      ).scrape_configs.flatMap((s) =>
        s.static_configs.flatMap((c) =>
          c.targets.map((t) => ({ host: t.split(':')[0]!, port: Number(t.split(':')[1]), ref: t }))
        )
      ),
    ];
    const fluentOut = (
      parse(read('deploy', 'compose', 'fluent-bit.yaml')) as { pipeline: { outputs: Array<Record<string, unknown>> } }
    ).pipeline.outputs[0]!;
    refs.push({
      host: String(fluentOut.host),
      port: Number(fluentOut.port),
      ref: `${fluentOut.host}:${fluentOut.port}`,
    });
    assert.ok(refs.length >= 5);
    for (const { host, port, ref } of refs) {
      assert.ok(config.services[host], `${ref}: no compose service ${host}`);
      assert.ok(containerPorts(config.services[host]!).includes(port), `${ref}: ${host} does not listen on ${port}`);
    }
    const loki = parse(read('deploy', 'compose', 'loki.yaml')) as { server: { http_listen_port: number } };
    assert.equal(loki.server.http_listen_port, STACK_PORTS.loki);
  });

  // `loki -health` (what the distroless image's health check runs) first appears in Loki 3.7.0; an older image would
  // exit with "flag provided but not defined" and grafana, which waits for a healthy Loki, would never start.
  test('the Loki image is 3.7.0 or newer while its health check runs loki -health', () => {
    const loki = config.services.loki!;
    const tag = /^grafana\/loki:(\d+)\.(\d+)\.(\d+)$/.exec(String(loki.image));
    assert.ok(tag, `pin grafana/loki to an exact x.y.z tag, not ${loki.image}`);
    const [major, minor] = [Number(tag[1]), Number(tag[2])];
    if ((loki.healthcheck?.test ?? []).includes('-health')) {
      assert.ok(major > 3 || (major === 3 && minor >= 7), `${loki.image} has no -health flag (added in Loki 3.7.0)`);
    }
  });

  test('every credential file a service reads is written by k3s-setup and mounted where it is read', () => {
    const script = read('deploy', 'compose', 'k3s-setup.sh');
    assert.match(script, /^OUT=\$\{FLOWKUBE_CREDS_DIR:-\/flowkube\}$/m, 'credentials must default to /flowkube');
    const written = [...script.matchAll(/"\$OUT\/([a-z-]+\/[a-z.]+)"/g)].map((m) => `/flowkube/${m[1]}`);
    const setupMount = mounts(config.services['k3s-setup']!).find((m) => m.target === '/flowkube');
    assert.ok(setupMount, 'k3s-setup must mount the credentials volume at /flowkube');
    const readers: Record<string, string> = {
      proxy: String(config.services.proxy!.environment?.KUBECONFIG),
      'kube-state-metrics': String(config.services['kube-state-metrics']!.command),
      'fluent-bit': read('deploy', 'compose', 'fluent-bit.yaml'),
      prometheus: read('deploy', 'compose', 'prometheus.yml'),
    };
    for (const [name, text] of Object.entries(readers)) {
      const paths = [...text.matchAll(/\/flowkube\/[a-z-]+\/[a-z.]+/g)].map((m) => m[0]);
      assert.ok(paths.length > 0, `${name} reads no credential file`);
      for (const path of paths) {
        assert.ok(written.includes(path), `${name} reads ${path}, which k3s-setup.sh does not write`);
      }
      const mount = mounts(config.services[name]!).find((m) => m.target === '/flowkube');
      assert.equal(mount?.source, setupMount.source, `${name} must mount ${setupMount.source} at /flowkube`);
    }
  });

  test('k3s-setup applies an existing overlay, and the worker image reaches k3s without a registry', () => {
    const setup = config.services['k3s-setup']!;
    const manifests = mounts(setup).find((m) => m.target === '/manifests');
    assert.equal(manifests?.source, join(root, 'k8s'));
    const script = read('deploy', 'compose', 'k3s-setup.sh');
    assert.match(script, /^MANIFESTS=\$\{MANIFESTS:-\/manifests\}$/m);
    const applied = /kubectl apply -k "\$MANIFESTS\/([\w/]+)"/.exec(script)?.[1];
    assert.ok(applied && existsSync(join(root, 'k8s', applied, 'kustomization.yaml')), `overlay ${applied} missing`);
    // The monitoring namespace is its own step (not in the kustomization): the script's default path is mounted.
    const nsPath = /^MONITORING_NAMESPACE=\$\{MONITORING_NAMESPACE:-(\S+)\}$/m.exec(script)?.[1];
    const nsMount = mounts(setup).find((m) => m.target === nsPath);
    assert.equal(nsMount?.source, join(root, 'monitoring', '00-namespace.yaml'), `nothing mounted at ${nsPath}`);

    const catalogImages = [...read('pkg-backend-proxy', 'catalog', 'default.yaml').matchAll(/image: (\S+)/g)].map(
      (m) => m[1]
    );
    assert.deepEqual([...new Set(catalogImages)], [config.services['worker-image']!.image]);
    const exporter = config.services['worker-image-export']!;
    assert.ok(String(exporter.command).includes(config.services['worker-image']!.image!));
    const exportVolume = mounts(exporter).find((m) => m.target === '/images')?.source;
    const autoImport = mounts(config.services.k3s!).find((m) => m.target === '/var/lib/rancher/k3s/agent/images');
    assert.equal(autoImport?.source, exportVolume, 'the exported tar must land in k3s agent/images (auto-import)');
    assert.match(String(exporter.command), /\/images\/[\w-]+\.tar/);
  });

  test('fluent-bit ships the worker Pods of flowkube-jobs with the job_type label', () => {
    const fb = parse(read('deploy', 'compose', 'fluent-bit.yaml')) as {
      pipeline: { inputs: Array<Record<string, string>>; outputs: Array<Record<string, string>> };
    };
    assert.match(fb.pipeline.inputs[0]!.path!, /^\/var\/log\/pods\/flowkube-jobs_/);
    // tail turns the file path into the tag (`/` → `.` in place of the `*`); the kubernetes filter cuts
    // kube_tag_prefix and needs the pod's namespace, name and container from what is left.
    const input = fb.pipeline.inputs[0]!;
    const filter = (fb.pipeline as unknown as { filters: Array<Record<string, string>> }).filters[0]!;
    const parser = (fb as unknown as { parsers: Array<Record<string, string>> }).parsers.find(
      (p) => p.name === filter.regex_parser
    )!;
    const file = '/var/log/pods/flowkube-jobs_log-gen-7xk2p_0f8fad5b-d9cb-469f-a165-70867728950e/worker/0.log';
    const tag = input.tag!.replace('*', file.slice(1).replaceAll('/', '.'));
    assert.ok(tag.startsWith(filter.kube_tag_prefix!), `${tag} does not start with ${filter.kube_tag_prefix}`);
    const groups = new RegExp(parser.regex!).exec(tag.slice(filter.kube_tag_prefix!.length))?.groups;
    assert.equal(groups?.namespace_name, 'flowkube-jobs');
    assert.equal(groups?.pod_name, 'log-gen-7xk2p');
    assert.equal(groups?.container_name, 'worker');
    assert.match(fb.pipeline.outputs[0]!.labels!, /job_type=\$kubernetes\['labels'\]\['job_type'\]/);
    assert.ok(
      mounts(config.services['fluent-bit']!).some((m) => m.target === '/var/log/pods'),
      'fluent-bit must mount the pod logs'
    );
    const k3sLogs = mounts(config.services.k3s!).find((m) => m.target === '/var/log/pods');
    const fbLogs = mounts(config.services['fluent-bit']!).find((m) => m.target === '/var/log/pods');
    assert.equal(fbLogs?.source, k3sLogs?.source);
  });
});

describe('deploy/compose/prometheus.yml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowkube-promcfg-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('promtool check config accepts it (credential paths pointed at stand-in files)', () => {
    // promtool stats TLS files; the real ones only exist inside the running stack.
    mkdirSync(join(dir, 'prometheus'));
    writeFileSync(join(dir, 'prometheus', 'client.crt'), '');
    writeFileSync(join(dir, 'prometheus', 'client.key'), '');
    const text = readFileSync(join(composeDir, 'prometheus.yml'), 'utf8').replaceAll('/flowkube/', `${dir}/`);
    writeFileSync(join(dir, 'prometheus.yml'), text);
    execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { stdio: 'pipe' });
  });
});
