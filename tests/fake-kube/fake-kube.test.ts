// Drives the fake with the real @kubernetes/client-node to prove it answers as the Kubernetes API does.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  Log,
  makeInformer,
  VersionApi,
  type V1Pod,
} from '@kubernetes/client-node';
import { DEADLINE_MESSAGE, NAME_ALPHABET, startFakeKube, type FakeKube } from './index.ts';
import { waitFor } from './wait-for.ts';
import { containerEnv, expandVars, imageRepository, resolveArgv } from './container.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  POD_FIELDS,
  SelectorError,
} from './selectors.ts';
import type { StoreEvent } from './store.ts';
import { labelKeyError, labelValueError } from './validate.ts';
import { project } from './watch.ts';
import { startForwarder } from './forwarder.ts';

const NS = 'flowkube-jobs';
const WORKER = 'flowkube/worker:0.1.0';

/** Follows a container's log with client-node's Log; resolves with the whole text once the server ends the stream. */
function followLog(kc: KubeConfig, name: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        text += String(chunk);
        cb();
      },
      final(cb) {
        resolve(text);
        cb();
      },
    });
    new Log(kc).log(NS, name, 'worker', sink, { follow: true }).catch(reject);
  });
}

/** A Status body as parsed in these tests (plus `versions` of /api). */
interface StatusBody {
  kind?: string;
  message: string;
  reason: string;
  code: number;
  details: {
    name?: string;
    kind?: string;
    retryAfterSeconds?: number;
    causes: Array<{ field: string; reason: string; message: string }>;
  };
  versions?: string[];
}

function client(fake: FakeKube, token?: string): { kc: KubeConfig; api: CoreV1Api } {
  const kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions(token === undefined ? undefined : { token }));
  return { kc, api: kc.makeApiClient(CoreV1Api) };
}

async function apiError(
  promise: Promise<unknown>
): Promise<{ code: number; body: StatusBody; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiException, `expected ApiException, got ${String(err)}`);
    const body = typeof err.body === 'string' && err.body !== '' ? JSON.parse(err.body) : {};
    return { code: err.code, body, headers: err.headers };
  }
  throw new Error('expected the call to fail');
}

const workerPod = (name: string, env: Record<string, string> = {}, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
  metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'flowkube', job_type: 'basic' } },
  spec: {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'worker',
        image: WORKER,
        command: ['python', '/app/app_basic.py'],
        env: [
          { name: 'JOB_TYPE', value: 'basic' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ...Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
        ],
      },
    ],
    ...extra,
  },
});

const pythonPod = (name: string, code: string, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
  metadata: { name },
  spec: {
    restartPolicy: 'Never',
    containers: [{ name: 'worker', image: WORKER, command: ['python', '-c', code] }],
    ...extra,
  },
});

const podOf = (fake: FakeKube, name: string) => fake.pods(NS).find((p) => p.metadata?.name === name);
const phaseOf = (fake: FakeKube, name: string) => podOf(fake, name)?.status?.phase;

describe('label selector parser', () => {
  const labels = { app: 'web', tier: 'front', 'flowkube.io/template': 'basic' };
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (db, web)', true],
    ['app in (db)', false],
    ['app notin (db,cache)', true],
    ['missing notin (a)', true],
    ['app notin (web)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    [' app = web , flowkube.io/template in (basic,cpu-load) ', true],
    ['flowkube.io/template=basic,!other', true],
  ];
  for (const [selector, expected] of cases) {
    it(`"${selector}" ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(matchesLabels(parseLabelSelector(selector), labels), expected);
    });
  }

  it('parses each operator into a requirement', () => {
    assert.deepEqual(parseLabelSelector('a=1,b!=2,c in (x,y),d notin (z),e,!f,g>3'), [
      { key: 'a', op: '=', value: '1' },
      { key: 'b', op: '!=', value: '2' },
      { key: 'c', op: 'in', values: ['x', 'y'] },
      { key: 'd', op: 'notin', values: ['z'] },
      { key: 'e', op: 'exists' },
      { key: 'f', op: '!exists' },
      { key: 'g', op: '>', value: 3 },
    ]);
  });

  for (const bad of [
    'a in x',
    '=b',
    'a b',
    'a in (x',
    'a in ()',
    'a=b c',
    'a=x y',
    'bad key=1',
    'a=' + 'v'.repeat(64),
    ',a',
  ]) {
    it(`rejects "${bad.slice(0, 20)}"`, () => {
      assert.throws(() => parseLabelSelector(bad), SelectorError);
    });
  }
});

describe('field selector parser', () => {
  const pod = { metadata: { name: 'p1', namespace: NS }, status: { phase: 'Running' } };
  it('matches =, == and != on supported fields', () => {
    assert.equal(matchesFields(parseFieldSelector('metadata.name=p1', POD_FIELDS), pod, POD_FIELDS), true);
    assert.equal(
      matchesFields(
        parseFieldSelector('status.phase==Running,metadata.namespace=flowkube-jobs', POD_FIELDS),
        pod,
        POD_FIELDS
      ),
      true
    );
    assert.equal(matchesFields(parseFieldSelector('status.phase!=Running', POD_FIELDS), pod, POD_FIELDS), false);
    assert.equal(matchesFields(parseFieldSelector('status.phase!=Succeeded', POD_FIELDS), pod, POD_FIELDS), true);
  });
  it('rejects fields the API server does not index', () => {
    assert.throws(
      () => parseFieldSelector('spec.containers=x', POD_FIELDS),
      /field label not supported: spec.containers/
    );
  });
});

describe('pure helpers', () => {
  it('validates label keys and values with the API rules', () => {
    assert.equal(labelKeyError('flowkube.io/template'), undefined);
    assert.match(labelKeyError('Bad.Prefix/x') ?? '', /prefix part/);
    assert.match(labelKeyError('-x') ?? '', /name part must consist/);
    assert.equal(labelValueError(''), undefined);
    assert.match(labelValueError('a'.repeat(64)) ?? '', /no more than 63/);
    assert.match(labelValueError('a b') ?? '', /a valid label/);
  });

  it('turns objects leaving or entering a selector into DELETED or ADDED', () => {
    const running = { metadata: { name: 'p' }, status: { phase: 'Running' } };
    const done = { metadata: { name: 'p' }, status: { phase: 'Succeeded' } };
    const active = (p: V1Pod) => p.status?.phase === 'Running';
    const modified = (previous: V1Pod, object: V1Pod): StoreEvent => ({ rv: 2, type: 'MODIFIED', object, previous });
    assert.equal(project(modified(running, done), active)?.type, 'DELETED');
    assert.equal(project(modified(done, running), active)?.type, 'ADDED');
    assert.equal(project(modified(running, running), active)?.type, 'MODIFIED');
    assert.equal(project(modified(done, done), active), null);
  });

  it('maps the image to the repository and /app scripts to the python folder, without a shell', () => {
    assert.equal(imageRepository('docker.io/flowkube/worker:0.1.0'), 'flowkube/worker');
    assert.equal(imageRepository('localhost:5000/flowkube/worker@sha256:abc'), 'localhost:5000/flowkube/worker');
    const argv = resolveArgv(
      {
        name: 'w',
        command: ['python', '/app/app_cpu.py'],
        args: ['--x', '$(A) $$(A) $(PATH)'],
        env: [{ name: 'A', value: '1' }],
      },
      { A: '1', PATH: '/bin' },
      '/py'
    );
    // PATH comes from the runtime, not the container spec: the kubelet does not expand it
    assert.deepEqual(argv, ['/py/app_cpu.py', '--x', '1 $(A) $(PATH)']);
    assert.match(
      String(resolveArgv({ name: 'w', command: ['sh', '-c', 'x'] }, {}, '/py')),
      /executable file not found/
    );
    assert.equal(expandVars('$(MISSING)', {}), '$(MISSING)');
  });

  it('expands $(VAR) exactly as kubernetes third_party/forked/golang/expansion/expand.go does', () => {
    const env = { A: 'x', 'a b': 'spaced', EMPTY: '' };
    const cases: Array<[string, string]> = [
      ['$(A)', 'x'],
      ['$$(A)', '$(A)'],
      ['$$$(A)', '$x'],
      ['$$$$(A)', '$$(A)'],
      ['$(EMPTY)-', '-'],
      ['$(a b)', 'spaced'], // the name is whatever stands before the first ')'
      ['$(A', '$(A'], // unclosed
      ['$(A $(A)', '$(A $(A)'], // the name "A $(A" is not defined
      ['$($$)', '$($$)'],
      ['$A $', '$A $'],
      ['a$', 'a$'],
      ['$$', '$'],
      ['$(', '$('],
      ['$()', '$()'],
    ];
    for (const [input, want] of cases) {
      assert.equal(expandVars(input, env), want, input);
    }
  });

  it('reaches a worker literally when every $ of a value is doubled', () => {
    const hostile = ['$(SECRET)', '$$(SECRET)', '$(SECRET', 'a$', '$$$', '$(a $(SECRET))'];
    for (const value of hostile) {
      assert.equal(expandVars(value.split('$').join('$$'), { SECRET: 'leaked' }), value);
    }
  });

  it('builds the container environment from values and the downward API', () => {
    const pod: V1Pod = {
      metadata: { name: 'p1', namespace: NS, uid: 'u-1', labels: { job_type: 'basic' } },
      spec: { containers: [] },
    };
    const env = containerEnv(pod, {
      name: 'worker',
      env: [
        { name: 'A', value: 'x' },
        { name: 'B', value: '$(A)-y' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'JOB', valueFrom: { fieldRef: { fieldPath: "metadata.labels['job_type']" } } },
      ],
    });
    assert.ok(typeof env === 'object');
    assert.deepEqual(
      [env.A, env.B, env.POD_NAME, env.POD_NAMESPACE, env.POD_UID, env.JOB, env.PYTHONUNBUFFERED, env.HOSTNAME],
      ['x', 'x-y', 'p1', NS, 'u-1', 'basic', '1', 'p1']
    );
    assert.equal(env.PATH, process.env.PATH);
    const missing = containerEnv(pod, {
      name: 'w',
      env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }],
    });
    assert.equal(missing, 'secret "creds" not found');
  });
});

describe('fake API against the real client', () => {
  let fake: FakeKube;
  let api: CoreV1Api;
  let kc: KubeConfig;

  before(async () => {
    fake = await startFakeKube({ startDelayMs: 50, namespaces: [NS, 'other'] });
    ({ api, kc } = client(fake));
  });
  after(() => fake.stop());

  it('creates a Pod with server-set fields and generateName', async () => {
    const created = await api.createNamespacedPod({
      namespace: NS,
      body: { metadata: { generateName: 'basic-' }, spec: { containers: [{ name: 'worker', image: 'busybox:1.36' }] } },
    });
    assert.match(created.metadata?.name ?? '', new RegExp(`^basic-[${NAME_ALPHABET}]{5}$`));
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(created.metadata?.resourceVersion ?? '', /^\d+$/);
    assert.equal(created.metadata?.namespace, NS);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    assert.equal(created.status?.phase, 'Pending');
    assert.equal(created.spec?.restartPolicy, 'Always');
    const rv = Number(created.metadata?.resourceVersion);
    const again = await api.createNamespacedPod({
      namespace: NS,
      body: { metadata: { generateName: 'basic-' }, spec: { containers: [{ name: 'worker', image: 'busybox:1.36' }] } },
    });
    assert.ok(Number(again.metadata?.resourceVersion) > rv);
    assert.notEqual(again.metadata?.name, created.metadata?.name);
  });

  it('answers 409 AlreadyExists with the real Status body', async () => {
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('dup', 'pass') });
    const err = await apiError(api.createNamespacedPod({ namespace: NS, body: pythonPod('dup', 'pass') }));
    assert.equal(err.code, 409);
    assert.deepEqual(err.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "dup" already exists',
      reason: 'AlreadyExists',
      details: { name: 'dup', kind: 'pods' },
      code: 409,
    });
  });

  const invalidCases: Array<[string, V1Pod, string, string]> = [
    ['a bad name', pythonPod('Bad_Name', 'pass'), 'metadata.name', 'FieldValueInvalid'],
    ['a name too long', pythonPod('a'.repeat(254), 'pass'), 'metadata.name', 'FieldValueInvalid'],
    [
      'no name or generateName',
      { metadata: {}, spec: { containers: [{ name: 'w', image: WORKER }] } },
      'metadata.name',
      'FieldValueRequired',
    ],
    [
      'a bad label value',
      { metadata: { name: 'l', labels: { a: 'x y' } }, spec: { containers: [{ name: 'w', image: WORKER }] } },
      'metadata.labels',
      'FieldValueInvalid',
    ],
    [
      'a bad label key',
      { metadata: { name: 'l', labels: { 'a b': 'x' } }, spec: { containers: [{ name: 'w', image: WORKER }] } },
      'metadata.labels',
      'FieldValueInvalid',
    ],
    ['no containers', { metadata: { name: 'c' }, spec: { containers: [] } }, 'spec.containers', 'FieldValueRequired'],
    [
      'a container without image',
      { metadata: { name: 'c' }, spec: { containers: [{ name: 'w' }] } },
      'spec.containers[0].image',
      'FieldValueRequired',
    ],
    [
      'a container without name',
      { metadata: { name: 'c' }, spec: { containers: [{ image: WORKER } as never] } },
      'spec.containers[0].name',
      'FieldValueRequired',
    ],
    [
      'a bad restartPolicy',
      { metadata: { name: 'c' }, spec: { restartPolicy: 'Sometimes', containers: [{ name: 'w', image: WORKER }] } },
      'spec.restartPolicy',
      'FieldValueNotSupported',
    ],
  ];
  for (const [what, body, field, reason] of invalidCases) {
    it(`answers 422 Invalid for ${what}`, async () => {
      const err = await apiError(api.createNamespacedPod({ namespace: NS, body }));
      assert.equal(err.code, 422);
      assert.equal(err.body.reason, 'Invalid');
      assert.equal(err.body.details.kind, 'Pod');
      const cause = err.body.details.causes.find((c: { field: string }) => c.field === field);
      assert.ok(cause, `no cause for ${field} in ${JSON.stringify(err.body.details.causes)}`);
      assert.equal(cause.reason, reason);
      assert.match(err.body.message, new RegExp(`^Pod ".*" is invalid: .*${field.replace(/[[\].]/g, '\\$&')}: `));
    });
  }

  it('reports every invalid field of one Pod', async () => {
    const body = { metadata: { name: 'X', labels: { ok: 'a b' } }, spec: { containers: [{ name: 'w' }] } };
    const err = await apiError(api.createNamespacedPod({ namespace: NS, body }));
    assert.deepEqual(
      err.body.details.causes.map((c: { field: string }) => c.field),
      ['metadata.name', 'metadata.labels', 'spec.containers[0].image']
    );
    assert.match(
      err.body.message,
      /^Pod "X" is invalid: \[metadata\.name: Invalid value: "X": .*, spec\.containers\[0\]\.image: Required value\]$/
    );
    assert.equal(fake.pods(NS).filter((p) => p.metadata?.name === 'X').length, 0);
  });

  it('rejects what the decoder rejects (wrong types, bad quantities) with 400 and schema errors with 422', async () => {
    const post = (body: unknown) =>
      fetch(`${fake.url}/api/v1/namespaces/${NS}/pods`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${fake.token}`, 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const typed = await post({
      metadata: { name: 't' },
      spec: { containers: [{ name: 'w', image: WORKER, env: [{ name: 'A', value: 3 }] }] },
    });
    assert.equal(typed.status, 400);
    assert.match(((await typed.json()) as StatusBody).message, /spec\.containers\[0\]\.env\[0\]\.value/);
    const quantity = await post({
      metadata: { name: 'q' },
      spec: { containers: [{ name: 'w', image: WORKER, resources: { limits: { cpu: 'lots' } } }] },
    });
    assert.equal(quantity.status, 400);
    const notJson = await post('{"metadata":');
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as StatusBody).reason, 'BadRequest');
    const enumBad = await post({
      metadata: { name: 'e' },
      spec: { containers: [{ name: 'w', image: WORKER, imagePullPolicy: 'Sometimes' }] },
    });
    assert.equal(enumBad.status, 422);
    assert.equal(((await enumBad.json()) as StatusBody).details.causes[0]?.field, 'spec.containers[0].imagePullPolicy');
  });

  it('answers 404 for unknown Pods and for creates in a missing namespace', async () => {
    const read = await apiError(api.readNamespacedPod({ namespace: NS, name: 'nope' }));
    assert.equal(read.code, 404);
    assert.equal(read.body.message, 'pods "nope" not found');
    assert.deepEqual(read.body.details, { name: 'nope', kind: 'pods' });
    const del = await apiError(api.deleteNamespacedPod({ namespace: NS, name: 'nope' }));
    assert.equal(del.code, 404);
    const create = await apiError(api.createNamespacedPod({ namespace: 'missing', body: pythonPod('x', 'pass') }));
    assert.equal(create.code, 404);
    assert.equal(create.body.message, 'namespaces "missing" not found');
    const path = await fetch(`${fake.url}/apis/apps/v1/deployments`, {
      headers: { Authorization: `Bearer ${fake.token}` },
    });
    assert.equal(path.status, 404);
    assert.equal(((await path.json()) as StatusBody).kind, 'Status');
  });

  it('answers discovery and version like an API server', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(version.major, '1');
    const res = await fetch(`${fake.url}/api`, { headers: { Authorization: `Bearer ${fake.token}` } });
    assert.deepEqual(((await res.json()) as StatusBody).versions, ['v1']);
  });

  it('answers 400 naming the choices when a log request names no or a wrong container, 404 for no Pod', async () => {
    await api.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'two' },
        spec: {
          containers: [
            { name: 'a', image: 'busybox:1' },
            { name: 'b', image: 'busybox:1' },
          ],
        },
      },
    });
    const none = await apiError(api.readNamespacedPodLog({ namespace: NS, name: 'two' }));
    assert.equal(none.code, 400);
    assert.equal(none.body.message, 'a container name must be specified for pod two, choose one of: [a b]');
    const wrong = await apiError(api.readNamespacedPodLog({ namespace: NS, name: 'two', container: 'c' }));
    assert.equal(wrong.body.message, 'container c is not valid for pod two');
    const gone = await apiError(api.readNamespacedPodLog({ namespace: NS, name: 'nope' }));
    assert.equal(gone.code, 404);
    assert.equal(gone.body.message, 'pods "nope" not found');
  });

  it('answers 401 to a wrong or missing token', async () => {
    const err = await apiError(client(fake, 'wrong').api.listNamespacedPod({ namespace: NS }));
    assert.equal(err.code, 401);
    const raw = await fetch(`${fake.url}/api/v1/namespaces/${NS}/pods`);
    assert.equal(raw.status, 401);
    assert.deepEqual(await raw.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('answers 403 with the RBAC message while a verb is forbidden', async () => {
    fake.forbid('create');
    const err = await apiError(api.createNamespacedPod({ namespace: NS, body: pythonPod('f', 'pass') }));
    assert.equal(err.code, 403);
    assert.equal(err.body.reason, 'Forbidden');
    assert.equal(
      err.body.message,
      'pods is forbidden: User "system:serviceaccount:flowkube-admin:flowkube-proxy" cannot create resource "pods" in API group "" in the namespace "flowkube-jobs"'
    );
    fake.allow('create');
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('f', 'pass') });

    fake.forbid('log');
    const log = await apiError(api.readNamespacedPodLog({ namespace: NS, name: 'f' }));
    assert.equal(log.code, 403);
    assert.match(
      log.body.message,
      /^pods "f" is forbidden: .* cannot get resource "pods\/log" in API group "" in the namespace "flowkube-jobs"$/
    );
    fake.allow('log');
  });

  it('answers a scripted 429 with Retry-After, then serves the next request', async () => {
    fake.failNext('create', { status: 429, retryAfterSeconds: 7 });
    const err = await apiError(api.createNamespacedPod({ namespace: NS, body: pythonPod('limited', 'pass') }));
    assert.equal(err.code, 429);
    assert.equal(err.headers['retry-after'], '7');
    assert.equal(err.body.reason, 'TooManyRequests');
    assert.equal(err.body.details.retryAfterSeconds, 7);
    assert.equal(podOf(fake, 'limited'), undefined);
    const created = await api.createNamespacedPod({ namespace: NS, body: pythonPod('limited', 'pass') });
    assert.equal(created.metadata?.name, 'limited');
  });

  it('scripts 500s, resets and the create that lands but never answers', async () => {
    fake.failNext('create', { status: 500 }, 2);
    for (let i = 0; i < 2; i++) {
      assert.equal(
        (await apiError(api.createNamespacedPod({ namespace: NS, body: pythonPod('r1', 'pass') }))).code,
        500
      );
    }
    fake.failNext('create', { reset: true });
    await assert.rejects(
      api.createNamespacedPod({ namespace: NS, body: pythonPod('r1', 'pass') }),
      (err) => !(err instanceof ApiException)
    );
    assert.equal(podOf(fake, 'r1'), undefined);
    fake.failNext('create', { createThenReset: true });
    await assert.rejects(
      api.createNamespacedPod({ namespace: NS, body: pythonPod('r2', 'pass') }),
      (err) => !(err instanceof ApiException)
    );
    assert.ok(podOf(fake, 'r2'), 'the Pod was created although the answer was lost');
    assert.equal((await apiError(api.createNamespacedPod({ namespace: NS, body: pythonPod('r2', 'pass') }))).code, 409);
  });

  it('records every request with its verb', async () => {
    fake.resetRequests();
    await api.listNamespacedPod({ namespace: NS });
    await apiError(api.readNamespacedPod({ namespace: NS, name: 'nope' }));
    assert.equal(fake.requestCount(), 2);
    assert.equal(fake.requestCount('list'), 1);
    assert.equal(fake.requestCount('get'), 1);
    assert.deepEqual(fake.requests[1], {
      method: 'GET',
      path: `/api/v1/namespaces/${NS}/pods/nope`,
      query: {},
      verb: 'get',
      resource: 'pods',
    });
  });

  it('lists with label and field selectors, in one namespace or across all', async () => {
    fake.seedPods(3, { namespace: 'other', namePrefix: 'sel-a-', labels: { app: 'a', tier: 'x' }, phase: 'Running' });
    fake.seedPods(2, { namespace: 'other', namePrefix: 'sel-b-', labels: { app: 'b' }, phase: 'Succeeded' });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await api.listNamespacedPod({ namespace: 'other', labelSelector, fieldSelector })).items.map(
        (p) => p.metadata?.name
      );
    assert.deepEqual(await names('app=a'), ['sel-a-0', 'sel-a-1', 'sel-a-2']);
    assert.deepEqual(await names('app!=a'), ['sel-b-0', 'sel-b-1']);
    assert.deepEqual(await names('app in (a,b),!tier'), ['sel-b-0', 'sel-b-1']);
    assert.deepEqual(await names('app notin (a)'), ['sel-b-0', 'sel-b-1']);
    assert.deepEqual(await names('tier'), ['sel-a-0', 'sel-a-1', 'sel-a-2']);
    assert.deepEqual(await names(undefined, 'status.phase=Succeeded'), ['sel-b-0', 'sel-b-1']);
    assert.deepEqual(await names('app=a', 'metadata.name!=sel-a-1'), ['sel-a-0', 'sel-a-2']);
    const list = await api.listNamespacedPod({ namespace: 'other' });
    assert.equal(list.kind, 'PodList');
    assert.equal(list.metadata?.resourceVersion, fake.resourceVersion());
    const all = await api.listPodForAllNamespaces({ labelSelector: 'app=b' });
    assert.deepEqual(
      all.items.map((p) => p.metadata?.namespace),
      ['other', 'other']
    );
    const bad = await apiError(api.listNamespacedPod({ namespace: 'other', labelSelector: 'app in a' }));
    assert.equal(bad.code, 400);
    assert.equal(bad.body.reason, 'BadRequest');
    const paged = await api.listNamespacedPod({ namespace: 'other', limit: 2 });
    assert.equal(paged.items.length, 2);
    const rest = await api.listNamespacedPod({ namespace: 'other', limit: 10, _continue: paged.metadata?._continue });
    assert.deepEqual(
      rest.items.map((p) => p.metadata?.name),
      ['sel-a-2', 'sel-b-0', 'sel-b-1']
    );
  });

  it('feeds an informer, which re-lists after the 410 ERROR event and drops what it missed', async () => {
    fake.seedPods(2, { namePrefix: 'inf-', labels: { watched: 'yes' }, phase: 'Running' });
    fake.seedPods(1, { namePrefix: 'unwatched-', labels: { watched: 'no' }, phase: 'Running' });
    const listFn = () => api.listNamespacedPod({ namespace: NS, labelSelector: 'watched=yes' });
    const informer = makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, listFn, 'watched=yes');
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name} ${p.status?.phase}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    try {
      await waitFor('the initial list', () => informer.list(NS).length === 2);
      fake.seedPods(1, { namePrefix: 'inf-new-', labels: { watched: 'yes' }, phase: 'Running' });
      fake.seedPods(1, { namePrefix: 'unwatched-new-', labels: { watched: 'no' }, phase: 'Running' });
      await waitFor('the ADDED event', () => seen.some((s) => s.startsWith('add inf-new-')));
      fake.setPodStatus(NS, 'inf-0', { phase: 'Failed', reason: 'OOMKilled' });
      await waitFor('the MODIFIED event', () => seen.includes('update inf-0 Failed'));
      assert.ok(!seen.some((s) => s.includes('unwatched')), 'the label selector applies to the watch');

      // A clean end of stream: the informer resumes from its resourceVersion without listing again.
      const lists = fake.requestCount('list');
      fake.closeWatches();
      fake.seedPods(1, { namePrefix: 'inf-after-close-', labels: { watched: 'yes' }, phase: 'Running' });
      await waitFor('the event sent while reconnecting', () => seen.some((s) => s.startsWith('add inf-after-close-')));
      assert.equal(fake.requestCount('list'), lists);

      // The watch breaks (client-node stops on a 500), a Pod goes meanwhile and etcd compacts the history.
      fake.breakWatches(500);
      fake.closeWatches();
      await waitFor('the informer error', () => errors.length > 0);
      await api.deleteNamespacedPod({ namespace: NS, name: 'inf-1' });
      fake.expireHistory();
      fake.healWatches();
      await informer.start();
      await waitFor('the delete found by the re-list', () => seen.includes('delete inf-1'));
      assert.equal(fake.requestCount('list'), lists + 1);
      assert.deepEqual(
        informer
          .list(NS)
          .map((p) => p.metadata?.name)
          .sort(),
        fake
          .pods(NS)
          .filter((p) => p.metadata?.labels?.watched === 'yes')
          .map((p) => p.metadata?.name)
          .sort()
      );
    } finally {
      await informer.stop();
    }
  });

  it('writes the exact 410 ERROR line for a resourceVersion older than the history', async () => {
    const old = fake.resourceVersion();
    fake.seedPods(1, { namePrefix: 'expire-' });
    fake.expireHistory();
    const res = await fetch(`${fake.url}/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${old}`, {
      headers: { Authorization: `Bearer ${fake.token}` },
    });
    assert.equal(res.status, 200);
    const lines = (await res.text()).trim().split('\n');
    assert.equal(lines.length, 1);
    const event = JSON.parse(lines[0] ?? '');
    // Workers of earlier tests may still move the resourceVersion on, so the oldest resumable one is a range.
    const match = /^too old resource version: (\d+) \((\d+)\)$/.exec(event.object?.message ?? '');
    assert.ok(match, `unexpected message ${event.object?.message}`);
    assert.equal(match[1], old);
    assert.ok(Number(match[2]) > Number(old) && Number(match[2]) <= Number(fake.resourceVersion()));
    assert.deepEqual(event, {
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: match[0],
        reason: 'Expired',
        code: 410,
      },
    });
  });

  it('replays history after a resourceVersion, filtered by the selector, and ends at timeoutSeconds', async () => {
    fake.seedPods(1, { namePrefix: 'before-', labels: { replay: 'yes' } });
    const from = fake.resourceVersion();
    fake.seedPods(2, { namePrefix: 'replay-', labels: { replay: 'yes' } });
    fake.seedPods(1, { namePrefix: 'replay-other-', labels: { replay: 'no' } });
    fake.setPodStatus(NS, 'replay-0', { phase: 'Failed' });
    const res = await fetch(
      `${fake.url}/api/v1/namespaces/${NS}/pods?watch=1&resourceVersion=${from}&timeoutSeconds=1&labelSelector=replay%3Dyes`,
      { headers: { Authorization: `Bearer ${fake.token}` } }
    );
    assert.equal(res.headers.get('content-type'), 'application/json');
    const events = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: V1Pod });
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata?.name, e.object.status?.phase]),
      [
        ['ADDED', 'replay-0', 'Succeeded'],
        ['ADDED', 'replay-1', 'Succeeded'],
        ['MODIFIED', 'replay-0', 'Failed'],
      ]
    );
    assert.deepEqual(
      events.map((e) => e.object.kind),
      ['Pod', 'Pod', 'Pod']
    );
  });

  it('starts a watch without resourceVersion with synthetic ADDED events for what exists', async () => {
    fake.seedPods(2, { namePrefix: 'fresh-', labels: { fresh: 'yes' } });
    const res = await fetch(`${fake.url}/api/v1/watch/namespaces/${NS}/pods?labelSelector=fresh&timeoutSeconds=1`, {
      headers: { Authorization: `Bearer ${fake.token}` },
    });
    const events = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: V1Pod });
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata?.name]),
      [
        ['ADDED', 'fresh-0'],
        ['ADDED', 'fresh-1'],
      ]
    );
  });

  it('sends BOOKMARK events only to watches that ask for them', async () => {
    const fast = await startFakeKube({ bookmarkIntervalMs: 20 });
    try {
      const watch = async (query: string) => {
        const res = await fetch(`${fast.url}/api/v1/pods?watch=true&timeoutSeconds=1${query}`, {
          headers: { Authorization: `Bearer ${fast.token}` },
        });
        const text = (await res.text()).trim();
        return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l));
      };
      const [asked, notAsked] = await Promise.all([watch('&allowWatchBookmarks=true'), watch('')]);
      assert.ok(asked.length > 0 && asked.every((e) => e.type === 'BOOKMARK'));
      assert.deepEqual(asked[0].object, {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { resourceVersion: fast.resourceVersion() },
      });
      assert.deepEqual(notAsked, []);
    } finally {
      await fast.stop();
    }
  });

  it('sends a BOOKMARK 2 s before the watch deadline, as the watch cache does', async () => {
    const slow = await startFakeKube({ bookmarkIntervalMs: 60_000 });
    try {
      const started = Date.now();
      const res = await fetch(`${slow.url}/api/v1/pods?watch=true&timeoutSeconds=3&allowWatchBookmarks=true`, {
        headers: { Authorization: `Bearer ${slow.token}` },
      });
      const events = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.deepEqual(
        events.map((e) => e.type),
        ['BOOKMARK']
      );
      assert.ok(Date.now() - started >= 2900, 'the stream ends at its deadline, after the bookmark');
    } finally {
      await slow.stop();
    }
  });

  it('the black-hole forwarder passes traffic, then swallows it without a reset', async () => {
    const fwd = await startForwarder(fake.url);
    try {
      const viaForwarder = new KubeConfig();
      viaForwarder.loadFromOptions({
        clusters: [{ name: 'f', server: fwd.url, skipTLSVerify: true }],
        users: [{ name: 'u', token: fake.token }],
        contexts: [{ name: 'f', cluster: 'f', user: 'u' }],
        currentContext: 'f',
      });
      const core = viaForwarder.makeApiClient(CoreV1Api);
      await core.listNamespacedPod({ namespace: NS });
      fwd.blackHole();
      const abort = AbortSignal.timeout(300);
      const started = Date.now();
      await assert.rejects(
        fetch(`${fwd.url}/api/v1/namespaces/${NS}/pods`, {
          headers: { Authorization: `Bearer ${fake.token}` },
          signal: abort,
        }),
        { name: 'TimeoutError' }
      );
      assert.ok(Date.now() - started >= 250, 'silence, not a refused or reset connection');
      assert.ok(fwd.swallowedBytes() > 0);
      fwd.restore();
      await core.listNamespacedPod({ namespace: NS });
    } finally {
      await fwd.stop();
    }
  });

  it('runs the real app_basic.py: Pending → Running → Succeeded with its JSON line in the log', async () => {
    const phases: string[] = [];
    const informer = makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => api.listNamespacedPod({ namespace: NS }));
    informer.on('update', (p) => {
      if (p.metadata?.name === 'basic-real' && phases[phases.length - 1] !== p.status?.phase) {
        phases.push(p.status?.phase ?? '');
      }
    });
    await informer.start();
    try {
      const created = await api.createNamespacedPod({
        namespace: NS,
        body: workerPod('basic-real', { MESSAGE: 'hi there', SLEEP_SECONDS: '0' }),
      });
      assert.equal(created.status?.phase, 'Pending');
      await waitFor('Succeeded', () => phaseOf(fake, 'basic-real') === 'Succeeded');
      await waitFor('the last event', () => phases[phases.length - 1] === 'Succeeded');
      assert.deepEqual(phases, ['Pending', 'Running', 'Succeeded']);
      const pod = podOf(fake, 'basic-real');
      const terminated = pod?.status?.containerStatuses?.[0]?.state?.terminated;
      assert.equal(terminated?.exitCode, 0);
      assert.equal(terminated?.reason, 'Completed');
      assert.ok(pod?.status?.startTime && terminated?.startedAt && terminated?.finishedAt);
      const log = await api.readNamespacedPodLog({ namespace: NS, name: 'basic-real' });
      const first = JSON.parse(log.split('\n')[0] ?? '');
      assert.equal(first.msg, 'hi there');
      assert.equal(first.pod, 'basic-real');
      assert.equal(first.job_type, 'basic');
      assert.equal(first.level, 'INFO');
      const tail = await api.readNamespacedPodLog({
        namespace: NS,
        name: 'basic-real',
        tailLines: 1,
        timestamps: true,
      });
      assert.equal(tail.trim().split('\n').length, 1);
      assert.match(tail, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \{.*"msg": ?"finished"/);
    } finally {
      await informer.stop();
    }
  });

  it('streams a log with follow=true until the process ends', async () => {
    const code = 'import time\nfor i in range(3):\n    print("line", i, flush=True)\n    time.sleep(0.3)\n';
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('follow', code) });
    await waitFor('Running', () => phaseOf(fake, 'follow') === 'Running');
    const text = await followLog(kc, 'follow');
    assert.equal(text, 'line 0\nline 1\nline 2\n');
    await waitFor('Succeeded', () => phaseOf(fake, 'follow') === 'Succeeded');
  });

  it('answers 400 for logs of a container that is waiting to start', async () => {
    const slow = await startFakeKube({ startDelayMs: 60000 });
    try {
      const slowApi = client(slow).api;
      await slowApi.createNamespacedPod({ namespace: NS, body: pythonPod('waiting', 'pass') });
      await waitFor('the kubelet status', () => slow.pods(NS)[0]?.status?.containerStatuses);
      const err = await apiError(slowApi.readNamespacedPodLog({ namespace: NS, name: 'waiting' }));
      assert.equal(err.code, 400);
      assert.equal(err.body.message, 'container "worker" in pod "waiting" is waiting to start: ContainerCreating');
    } finally {
      await slow.stop();
    }
  });

  it('fails a Pod whose process exits non-zero', async () => {
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('exit3', 'import sys; print("bye"); sys.exit(3)') });
    await waitFor('Failed', () => phaseOf(fake, 'exit3') === 'Failed');
    const terminated = podOf(fake, 'exit3')?.status?.containerStatuses?.[0]?.state?.terminated;
    assert.equal(terminated?.exitCode, 3);
    assert.equal(terminated?.reason, 'Error');
    assert.equal(await api.readNamespacedPodLog({ namespace: NS, name: 'exit3' }), 'bye\n');
    assert.equal(terminated?.message, undefined, 'the File policy with an empty file leaves no message');
  });

  it('reports what the worker wrote to its termination log, or its last log lines under FallbackToLogsOnError', async () => {
    const env = [
      { name: 'TASKS', value: '2' },
      { name: 'TASK_INTERVAL_MS', value: '0' },
      { name: 'FAIL', value: 'true' },
    ];
    const container = { name: 'worker', image: WORKER, command: ['python', '/app/app_log.py'], env };
    await api.createNamespacedPod({
      namespace: NS,
      body: { metadata: { name: 'fails-why' }, spec: { restartPolicy: 'Never', containers: [container] } },
    });
    const fallback = pythonPod('fails-logs', 'import sys; print("first"); print("last words"); sys.exit(4)');
    fallback.spec!.containers[0]!.terminationMessagePolicy = 'FallbackToLogsOnError';
    await api.createNamespacedPod({ namespace: NS, body: fallback });
    await waitFor(
      'both Failed',
      () => phaseOf(fake, 'fails-why') === 'Failed' && phaseOf(fake, 'fails-logs') === 'Failed'
    );
    const messageOf = (name: string) => podOf(fake, name)?.status?.containerStatuses?.[0]?.state?.terminated?.message;
    assert.equal(messageOf('fails-why'), 'log generation failed as requested (FAIL=true)');
    assert.equal(messageOf('fails-logs'), 'first\nlast words\n');
  });

  it('deletes gracefully: SIGTERM, the worker exits 143, then DELETED', async () => {
    const events: Array<[string, V1Pod]> = [];
    const informer = makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => api.listNamespacedPod({ namespace: NS }));
    informer.on('update', (p) => p.metadata?.name === 'term' && events.push(['update', p]));
    informer.on('delete', (p) => p.metadata?.name === 'term' && events.push(['delete', p]));
    await informer.start();
    try {
      await api.createNamespacedPod({ namespace: NS, body: workerPod('term', { SLEEP_SECONDS: '600' }) });
      await waitFor('the first log line', async () => {
        return (
          phaseOf(fake, 'term') === 'Running' &&
          (await api.readNamespacedPodLog({ namespace: NS, name: 'term' })) !== ''
        );
      });
      const before = fake.running();
      assert.ok(before >= 1);
      const log = followLog(kc, 'term');
      const deleted = await api.deleteNamespacedPod({ namespace: NS, name: 'term', propagationPolicy: 'Background' });
      assert.equal(deleted.metadata?.deletionGracePeriodSeconds, 30);
      assert.ok(deleted.metadata?.deletionTimestamp instanceof Date);
      await waitFor('DELETED', () => events.some(([type]) => type === 'delete'));
      const last = events.filter(([type]) => type === 'update').pop()?.[1];
      assert.equal(last?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 143);
      const lines = (await log).trim().split('\n');
      assert.equal(JSON.parse(lines[lines.length - 1] ?? '').level, 'WARN', 'the worker said goodbye on SIGTERM');
      assert.equal(podOf(fake, 'term'), undefined);
      assert.equal(fake.running(), before - 1);
    } finally {
      await informer.stop();
    }
  });

  it('SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
    const code =
      'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint("up", flush=True)\ntime.sleep(600)\n';
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('stubborn', code) });
    await waitFor('the process up', () => phaseOf(fake, 'stubborn') === 'Running');
    await waitFor(
      'the SIGTERM handler',
      async () => (await api.readNamespacedPodLog({ namespace: NS, name: 'stubborn' })) === 'up\n'
    );
    const seen: V1Pod[] = [];
    const res = await fetch(
      `${fake.url}/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${fake.resourceVersion()}&fieldSelector=metadata.name=stubborn`,
      {
        headers: { Authorization: `Bearer ${fake.token}` },
      }
    );
    const reading = (async () => {
      let buffered = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += Buffer.from(chunk).toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const event = JSON.parse(line) as { type: string; object: V1Pod };
          seen.push(event.object);
          if (event.type === 'DELETED') {
            return;
          }
        }
      }
    })();
    await api.deleteNamespacedPod({ namespace: NS, name: 'stubborn', gracePeriodSeconds: 1 });
    await reading;
    const exit = seen
      .map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode)
      .filter((c) => c !== undefined);
    assert.deepEqual(exit.slice(-1), [137]);
  });

  it('kills a Pod at activeDeadlineSeconds: Failed, DeadlineExceeded', async () => {
    await api.createNamespacedPod({
      namespace: NS,
      body: workerPod('deadline', { SLEEP_SECONDS: '600' }, { activeDeadlineSeconds: 3 }),
    });
    // the worker logs only once its SIGTERM handler is in; the deadline, counted from startTime in whole seconds,
    // is 2-3 s away then (with 1 it could fall before the process was even spawned: ContainerStatusUnknown, 137)
    await waitFor(
      'the worker up',
      // (a 400 while the container is still being created)
      async () => (await api.readNamespacedPodLog({ namespace: NS, name: 'deadline' }).catch(() => '')).length > 0
    );
    assert.equal(phaseOf(fake, 'deadline'), 'Running');
    await waitFor('Failed', () => phaseOf(fake, 'deadline') === 'Failed');
    const status = podOf(fake, 'deadline')?.status;
    assert.equal(status?.reason, 'DeadlineExceeded');
    assert.equal(status?.message, DEADLINE_MESSAGE);
    assert.equal(status?.message, 'Pod was active on the node longer than the specified deadline');
    // the worker got SIGTERM (the Pod's grace period, as for a deletion), said why and exited 143
    const terminated = status?.containerStatuses?.[0]?.state?.terminated;
    assert.equal(terminated?.exitCode, 143);
    assert.equal(terminated?.message, 'stopped by SIGTERM');
  });

  it('deletes a finished Pod at once: MODIFIED with deletionTimestamp, then DELETED', async () => {
    const [done] = fake.seedPods(1, { namePrefix: 'finished-', phase: 'Succeeded' });
    const name = done?.metadata?.name ?? '';
    const from = fake.resourceVersion();
    const deleted = await api.deleteNamespacedPod({ namespace: NS, name });
    assert.equal(deleted.metadata?.deletionGracePeriodSeconds, 0);
    assert.equal(podOf(fake, name), undefined);
    const res = await fetch(
      `${fake.url}/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${from}&timeoutSeconds=1&fieldSelector=metadata.name%3D${name}`,
      { headers: { Authorization: `Bearer ${fake.token}` } }
    );
    const events = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: V1Pod });
    assert.deepEqual(
      events.map((e) => e.type),
      ['MODIFIED', 'DELETED']
    );
    assert.ok(events[1]?.object.metadata?.deletionTimestamp);
  });

  it('leaves a Pod of another image Pending in ImagePullBackOff', async () => {
    await api.createNamespacedPod({
      namespace: NS,
      body: { metadata: { name: 'pull' }, spec: { containers: [{ name: 'worker', image: 'busybox:1.36' }] } },
    });
    const waiting = await waitFor('ImagePullBackOff', () => {
      const w = podOf(fake, 'pull')?.status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'ImagePullBackOff' ? w : undefined;
    });
    assert.equal(waiting.message, 'Back-off pulling image "busybox:1.36"');
    assert.equal(phaseOf(fake, 'pull'), 'Pending');
    const err = await apiError(api.readNamespacedPodLog({ namespace: NS, name: 'pull' }));
    assert.equal(
      err.body.message,
      'container "worker" in pod "pull" is waiting to start: trying and failing to pull image'
    );
  });
});

describe('process hygiene', () => {
  it('stop() kills every worker process', async () => {
    const fake = await startFakeKube({ startDelayMs: 10 });
    const marker = `fake-kube-${randomUUID()}`;
    const { api } = client(fake);
    await api.createNamespacedPod({
      namespace: NS,
      body: pythonPod('sleeper', `import time  # ${marker}\ntime.sleep(600)`),
    });
    await waitFor('the process', () => fake.running() === 1);
    const alive = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(marker);
    await waitFor('the process in ps', () => alive());
    await fake.stop();
    assert.equal(alive(), false);
  });

  it('leaves no worker behind when the test process itself is SIGKILLed', async () => {
    const marker = `fake-kube-${randomUUID()}`;
    const index = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `
      import { startFakeKube } from ${JSON.stringify(index)};
      const fake = await startFakeKube({ startDelayMs: 10 });
      await fetch(fake.url + '/api/v1/namespaces/${NS}/pods', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + fake.token, 'Content-Type': 'application/json' },
        body: JSON.stringify(${JSON.stringify(
          pythonPod(
            'orphan',
            `import time  # ${marker}
time.sleep(600)`
          )
        )}),
      });
      const timer = setInterval(() => fake.running() === 1 && (console.log('running'), clearInterval(timer)), 20);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    const alive = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(marker);
    try {
      await waitFor('the worker started by the child', () => out.includes('running') && alive());
    } finally {
      child.kill('SIGKILL');
    }
    await waitFor('the orphan to die with its parent', () => !alive());
  });
});
