import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pod } from 'kubernetes-models/v1';
import { loadCatalog } from '../../src/catalog/load.ts';
import { validateParams } from '../../src/catalog/params.ts';
import { escapeExpansion, renderPod } from '../../src/catalog/render-pod.ts';
import { DEFAULT_CATALOG } from '../../src/config.ts';

const catalog = loadCatalog(DEFAULT_CATALOG);

function render(id: string, params: Record<string, string | number | boolean>) {
  const template = catalog.byId.get(id)!;
  const checked = validateParams(template, params);
  assert.ok(checked.ok);
  return renderPod({
    template,
    params: checked.values,
    name: `${id}-bcdfg`,
    namespace: 'flowkube-jobs',
    launchedBy: 'alice',
    requestHash: 'abc',
    launchId: 'l1',
  });
}

test('a rendered Pod is valid for Kubernetes and meets the restricted Pod Security Standard', () => {
  const pod = render('cpu-load', { durationSeconds: 12 });
  new Pod(pod as never).validate();
  const spec = pod.spec!;
  const c = spec.containers[0]!;
  assert.equal(pod.metadata?.namespace, 'flowkube-jobs');
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(spec.activeDeadlineSeconds, 3900);
  assert.equal(spec.automountServiceAccountToken, false);
  assert.equal(spec.enableServiceLinks, false);
  assert.deepEqual(spec.securityContext, {
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  assert.equal(c.name, 'worker');
  assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
  assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
  assert.deepEqual(c.securityContext?.capabilities, { drop: ['ALL'] });
  assert.deepEqual(c.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
  assert.ok(spec.volumes?.some((v) => v.name === 'tmp' && v.emptyDir));
  assert.deepEqual(c.resources, { requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } });
  // so a failed job says why even when its image writes no termination log
  assert.equal(c.terminationMessagePolicy, 'FallbackToLogsOnError');
});

test('labels and annotations identify the job', () => {
  const pod = render('basic', { message: 'hi' });
  assert.deepEqual(pod.metadata?.labels, {
    'app.kubernetes.io/managed-by': 'flowkube',
    'flowkube.io/template': 'basic',
    job_type: 'basic',
  });
  const ann = pod.metadata!.annotations!;
  assert.equal(ann['flowkube.io/launched-by'], 'alice');
  assert.deepEqual(JSON.parse(ann['flowkube.io/params']!), { message: 'hi', sleepSeconds: 5 });
  assert.equal(ann['flowkube.io/request-hash'], 'abc');
  assert.equal(pod.metadata?.name, 'basic-bcdfg');
  assert.equal(pod.metadata?.generateName, undefined);
});

test('env follows the worker contract; params are whole env values, never inside a command string', () => {
  const evil = '$(rm -rf /); `id` && echo "x"\nnext';
  const pod = render('basic', { message: evil, sleepSeconds: 0 });
  const c = pod.spec!.containers[0]!;
  assert.deepEqual(c.command, ['python', '/app/app_basic.py']);
  assert.equal(c.args, undefined);
  assert.deepEqual(c.env, [
    { name: 'JOB_TYPE', value: 'basic' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    // every $ doubled, so that the kubelet's $(VAR) expansion gives the worker the value as typed
    { name: 'MESSAGE', value: '$$(rm -rf /); `id` && echo "x"\nnext' },
    { name: 'SLEEP_SECONDS', value: '0' },
  ]);
  assert.ok(![...c.command!, ...(c.args ?? [])].some((part) => part.includes('rm -rf')));
});

test('booleans become "true"/"false" and an absent optional param is omitted', () => {
  const env = render('log-gen', { fail: true }).spec!.containers[0]!.env!;
  assert.deepEqual(
    env.map((e) => [e.name, e.value]),
    [
      ['JOB_TYPE', 'log-gen'],
      ['POD_NAME', undefined],
      ['TASKS', '15'],
      ['TASK_INTERVAL_MS', '500'],
      ['FAIL', 'true'],
    ]
  );
  const withSeed = render('log-gen', { seed: 7 }).spec!.containers[0]!.env!;
  assert.deepEqual(withSeed.at(-1), { name: 'SEED', value: '7' });
});

test('fromParam args are whole argv items', () => {
  const template = { ...catalog.byId.get('basic')!, args: ['--message', { fromParam: 'message' }] };
  const pod = renderPod({
    template,
    params: { message: 'a b; c', sleepSeconds: 1 },
    name: 'basic-x',
    namespace: 'n',
    launchedBy: 'u',
    requestHash: 'h',
    launchId: 'l',
  });
  assert.deepEqual(pod.spec!.containers[0]!.args, ['--message', 'a b; c']);
});

test('every parameter value in env and args has its $ doubled; fixed catalog values are left alone', () => {
  const base = catalog.byId.get('basic')!;
  const template = {
    ...base,
    env: [...(base.env ?? []), { name: 'FIXED', value: 'a$(B)' }],
    args: ['--fixed=$(FIXED)', { fromParam: 'message' }],
  };
  const pod = renderPod({
    template,
    params: { message: '$(FIXED) $$(FIXED) $', sleepSeconds: 1 },
    name: 'basic-x',
    namespace: 'n',
    launchedBy: 'u',
    requestHash: 'h',
    launchId: 'l',
  });
  const c = pod.spec!.containers[0]!;
  assert.equal(c.env!.find((e) => e.name === 'MESSAGE')!.value, '$$(FIXED) $$$$(FIXED) $$');
  assert.equal(c.env!.find((e) => e.name === 'FIXED')!.value, 'a$(B)');
  assert.deepEqual(c.args, ['--fixed=$(FIXED)', '$$(FIXED) $$$$(FIXED) $$']);
  // the record keeps what the user typed, which is what the worker receives
  assert.deepEqual(JSON.parse(pod.metadata!.annotations!['flowkube.io/params']!).message, '$(FIXED) $$(FIXED) $');
  assert.equal(escapeExpansion('no dollars'), 'no dollars');
});
