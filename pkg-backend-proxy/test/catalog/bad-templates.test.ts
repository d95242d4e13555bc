// Generated bad templates (1,000 with FLOWKUBE_PROPERTY_RUNS=full) fed through ConfigMaps: the proxy stays up, launches none and reports each one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchJob } from '../helper.ts';
import { propertyRuns } from '../support/property-runs.ts';
import { catalogConfigMap, catalogStatus, liveCatalogApp, NS, templates, within, workerTemplate } from './support.ts';

// each ConfigMap holds PER_CONFIGMAP of them; 200 still breaks every template field of BREAKERS several times
const COUNT = propertyRuns(200, 1000);
const PER_CONFIGMAP = 50;

/** A small seeded generator, so a failure names a template that the next run generates again. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type T = Record<string, any>;
// Each breaks a template whatever the random text: a wrong type, a refused field, a bad reference or value.
const BREAKERS: Array<(t: T, junk: string, n: number) => void> = [
  (t, junk) => (t.timeoutSeconds = junk),
  (t, _j, n) => (t.timeoutSeconds = -n),
  (t) => (t.hostNetwork = true),
  (t) => (t.hostPID = true),
  (t) => (t.securityContext = { privileged: true }),
  (t) => (t.securityContext = { runAsUser: 0 }),
  (t, junk) => (t.securityContext = { capabilities: { add: [junk.toUpperCase()] } }),
  (t, junk) => (t.volumes = [{ name: 'h', hostPath: { path: `/${junk}` } }]),
  (t, junk) => (t.volumes = [{ name: 'n', nfs: { server: junk, path: '/' } }]),
  (t, junk) => {
    t.volumes = [{ name: 'd', emptyDir: {} }];
    t.volumeMounts = [{ name: 'd', mountPath: `/tmp/${junk}` }];
  },
  (t, junk) => (t.labels = { [`flowkube.io/${junk}`]: 'x' }),
  (t, junk) => (t.labels = { team: `${junk} ${junk}` }),
  (t, junk) => (t.resources.requests.cpu = `x${junk}`),
  (t) => (t.resources.requests.memory = '100Gi'),
  (t, junk) => (t.env = [{ name: 'X', fromParam: `p${junk}` }]),
  (t, junk) => (t.params.properties[`unused${junk}`] = { type: 'string' }),
  (t, junk) => (t.image = `bad image ${junk}`),
  (t) => (t.command = []),
  (t, junk) => (t.restartPolicy = `Always${junk}`),
  (t, junk) => (t[`zz${junk}`] = junk),
  (t, junk) => (t.nodeSelector = { pool: `${junk}/${junk}` }),
  (t, junk) => (t.imagePullPolicy = `Sometimes${junk}`),
  (t, junk) => (t.tolerations = [{ key: 'k', operator: 'Exists', value: junk }]),
  (t) => {
    t.resources.requests['nvidia.com/gpu'] = '500m';
    t.resources.limits['nvidia.com/gpu'] = '500m';
  },
  (t) => (t.params.properties.message.type = 'text'),
  (t, junk) => (t.env = [{ name: 'P', valueFrom: { fieldRef: { fieldPath: junk } } }]),
  (t, junk) => (t.envFrom = [{ secretRef: { name: junk.toUpperCase() } }]),
  (t) => (t.volumes = [{ name: 'tmp', emptyDir: {} }]),
  (t, junk) => (t.serviceAccountName = `${junk}_${junk}`),
  (t, junk) => (t.annotations = { 'app.kubernetes.io/managed-by': junk }),
];

function badTemplate(i: number, next: () => number): T {
  const t = workerTemplate(`bad-${String(i).padStart(4, '0')}`);
  const junk = Math.floor(next() * 36 ** 6)
    .toString(36)
    .padStart(2, 'a');
  BREAKERS[i % BREAKERS.length]!(t, junk, 1 + Math.floor(next() * 1000));
  return t;
}

const live = liveCatalogApp();

test(`${COUNT} generated bad templates through ConfigMaps: none launches, each is reported, the proxy stays up`, async () => {
  const { app } = live.built;
  const next = prng(11);
  const ids: string[] = [];
  for (let c = 0; c < COUNT / PER_CONFIGMAP; c++) {
    const batch = Array.from({ length: PER_CONFIGMAP }, (_, k) => badTemplate(c * PER_CONFIGMAP + k, next));
    ids.push(...batch.map((t) => String(t.id)));
    // half as one `templates:` list, half as one key per template
    await live.apply(catalogConfigMap(`bad-${String(c).padStart(2, '0')}`, batch, c % 2 === 0));
  }
  // a good one beside them, and keys that are not even YAML
  await live.apply(catalogConfigMap('fine', [workerTemplate('fine')]));
  await live.apply(catalogConfigMap('junk', { 'a.yaml': 'templates: [\n', 'b.yaml': '{{{', 'c.yaml': 'templates: 5' }));

  const status = await within(10_000, 'every ConfigMap to be reported', async () => {
    const s = await catalogStatus(app);
    return s.sources.length === 1 + COUNT / PER_CONFIGMAP + 2 ? s : undefined;
  });
  const reported = status.sources.filter((s) => s.name.startsWith('bad-')).flatMap((s) => s.templates);
  assert.equal(reported.length, COUNT);
  const notRefused = reported.filter((t) => t.ok || t.problems.length === 0);
  assert.deepEqual(notRefused, [], 'every generated template must be refused with a problem');
  assert.deepEqual(reported.map((t) => t.id).sort(), [...ids].sort());
  for (const t of reported) {
    for (const p of t.problems) {
      assert.ok(typeof p.field === 'string' && p.message.length > 0, JSON.stringify(t));
    }
  }
  const junk = status.sources.find((s) => s.name === 'junk')!.templates;
  assert.deepEqual(
    junk.map((t) => [t.id, t.ok, t.problems[0]?.field]),
    [
      ['a.yaml', false, 'data.a.yaml'],
      ['b.yaml', false, 'data.b.yaml'],
      ['c.yaml', false, 'data.c.yaml.templates'],
    ]
  );

  const launchable = new Set((await templates(app)).map((t) => t.id));
  assert.ok(launchable.has('fine'));
  assert.deepEqual(
    ids.filter((id) => launchable.has(id)),
    []
  );
  for (const id of ids) {
    const res = await launchJob(app, id);
    assert.equal(res.statusCode, 400, `${id}: ${res.body}`);
  }
  assert.equal(live.fake.pods(NS).length, 0);
  assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  // Events are bounded: at most ten and a summary per ConfigMap change
  await within(10_000, 'the Events', async () => live.fake.events(NS).length >= (COUNT / PER_CONFIGMAP) * 11);
  for (let c = 0; c < COUNT / PER_CONFIGMAP; c++) {
    const name = `bad-${String(c).padStart(2, '0')}`;
    const mine = live.fake.events(NS).filter((e) => e.involvedObject?.name === name);
    assert.equal(mine.length, 11, name);
    assert.ok(
      mine.some((e) => /^\d+ more template problems; see GET \/api\/v1\/catalog$/.test(e.message ?? '')),
      name
    );
  }
});
