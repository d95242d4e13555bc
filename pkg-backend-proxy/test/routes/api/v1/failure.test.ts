// The failure summary of each reason, as the fake kubelet writes its statuses and termination messages, in the issue's
// order of preference: Kubernetes' reason and message, then the worker's terminated.message, then the log's ERROR
// lines. Each is read in the list (no Kubernetes call) and in the detail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEADLINE_MESSAGE, EVICTION_MESSAGE } from '../../../../../tests/fake-kube/index.ts';
import { loadCatalog, parseCatalog } from '../../../../src/catalog/load.ts';
import { DEFAULT_CATALOG } from '../../../../src/config.ts';
import { type Built, build, launch, launchJob, read, waitFor } from '../../../helper.ts';

const NS = 'flowkube-jobs';
const MISSING_IMAGE = 'flowkube/trainer:1.0';
// a program of an image that writes no termination log: the kubelet reports the log's tail instead
const GIVES_UP = [
  'import sys',
  'print("INFO connecting to db:5432", flush=True)',
  'print("ERROR: upstream refused the connection", flush=True)',
  'print("INFO giving up", flush=True)',
  'sys.exit(2)',
].join('; ');

// the default templates, and variants of `basic` that fail the ways a cluster makes them fail
function catalog() {
  const templates = loadCatalog(DEFAULT_CATALOG).templates;
  const basic = templates.find((x) => x.id === 'basic')!;
  const variant = (id: string, change: Partial<typeof basic>) => ({ ...structuredClone(basic), id, ...change });
  const extra = [
    variant('deadline', { timeoutSeconds: 1 }),
    variant('no-image', { image: MISSING_IMAGE }),
    variant('no-secret', {
      env: [
        ...basic.env!,
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-password', key: 'password' } } },
      ],
    }),
    variant('gives-up', { command: ['python', '-c', GIVES_UP] }),
  ];
  return parseCatalog(JSON.stringify({ templates: [...templates, ...extra] }), 'failure.yaml');
}

let t: Built;
before(async () => {
  t = await build({ catalog: catalog() });
});
after(() => t.close());

async function launched(template: string, params: Record<string, unknown> = {}): Promise<string> {
  const res = await launchJob(t.app, template, params);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().job.id;
}

const phaseOf = (id: string) => t.app.jobs.get(id)?.job.phase;
const podOf = (id: string) => t.fake.pods(NS).find((p) => p.metadata?.name === id);
const worker = (id: string) => podOf(id)?.status?.containerStatuses?.[0];

/** The job's summary as the Jobs list has it (read with no Kubernetes call) and as its detail has it. */
async function summaries(id: string) {
  const calls = t.fake.requests.length;
  const items = (await t.app.inject({ url: '/api/v1/jobs?limit=1000', headers: read })).json().items;
  assert.equal(t.fake.requests.length, calls, 'the list makes no Kubernetes call');
  const listed = items.find((j: { id: string }) => j.id === id)?.failure;
  const detail = (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job.failure;
  return { listed, detail };
}

/** A running worker that has logged: its SIGTERM handler is installed. */
async function running(id: string, logged = /"level":"INFO"/): Promise<void> {
  await waitFor('the worker to run and log', async () => {
    if (phaseOf(id) !== 'Running') {
      return false;
    }
    return logged.test((await t.app.inject({ url: `/api/v1/jobs/${id}/logs`, headers: read })).body);
  });
}

test('OOMKilled: the memory limit is named, ahead of the ERROR lines the log tail brought', async () => {
  const id = await launched('log-gen', { tasks: 1000, taskIntervalMs: 20, seed: 3 });
  await running(id, /"level":"ERROR"/);
  t.fake.oomKill(NS, id);
  await waitFor('the job to fail', () => phaseOf(id) === 'Failed');
  assert.deepEqual(
    [worker(id)?.state?.terminated?.reason, worker(id)?.state?.terminated?.exitCode],
    ['OOMKilled', 137]
  );

  const { listed, detail } = await summaries(id);
  assert.deepEqual(
    [listed.reason, listed.message, listed.exitCode],
    ['OOMKilled', 'the container used more memory than its limit and was killed (memory limit 64Mi)', 137]
  );
  // the worker was killed before it could write a reason; under FallbackToLogsOnError its log's tail came instead
  const log = (await t.app.inject({ url: `/api/v1/jobs/${id}/logs`, headers: read })).body;
  assert.ok(listed.lastLogLines.length > 0 && listed.lastLogLines.length <= 5, JSON.stringify(listed));
  for (const line of listed.lastLogLines) {
    assert.match(line, /"level":"ERROR"/);
    assert.ok(log.includes(line), `${line} is not a line of the log as written`);
  }
  assert.deepEqual(detail, listed);
});

test("DeadlineExceeded: Kubernetes' message for a job that outran its timeout", async () => {
  const id = await launched('deadline', { sleepSeconds: 600 });
  await waitFor('the deadline to stop the job', () => phaseOf(id) === 'Failed');
  const { listed, detail } = await summaries(id);
  assert.deepEqual(listed, {
    reason: 'DeadlineExceeded',
    message: DEADLINE_MESSAGE,
    exitCode: worker(id)?.state?.terminated?.exitCode,
    lastLogLines: [],
  });
  assert.equal(typeof listed.exitCode, 'number');
  assert.deepEqual(detail, listed);
});

test("Evicted: the kubelet's message, not the worker's own reason for stopping", async () => {
  const id = await launched('basic', { sleepSeconds: 600 });
  await running(id);
  t.fake.evict(NS, id);
  await waitFor('the eviction to fail the job', () => phaseOf(id) === 'Failed');
  // the worker wrote why it stopped, as for any SIGTERM; the eviction says more
  assert.equal(worker(id)?.state?.terminated?.message, 'stopped by SIGTERM');
  const { listed, detail } = await summaries(id);
  assert.deepEqual(listed, { reason: 'Evicted', message: EVICTION_MESSAGE, exitCode: 143, lastLogLines: [] });
  assert.deepEqual(detail, listed);
});

test('ImagePullBackOff: a Pending job whose image cannot be pulled has a summary before it ever runs', async () => {
  const id = await launched('no-image');
  await waitFor('the pull to back off', () => worker(id)?.state?.waiting?.reason === 'ImagePullBackOff');
  await waitFor('the cache to see it', () => t.app.jobs.get(id)?.job.failure?.reason === 'ImagePullBackOff');
  assert.equal(phaseOf(id), 'Pending');
  const { listed, detail } = await summaries(id);
  assert.deepEqual(listed, {
    reason: 'ImagePullBackOff',
    message: `Back-off pulling image "${MISSING_IMAGE}"`,
    lastLogLines: [],
  });
  assert.deepEqual(detail, listed);
});

test('CreateContainerConfigError: the missing Secret is named', async () => {
  const id = await launched('no-secret');
  await waitFor('the cache to see it', () => t.app.jobs.get(id)?.job.failure?.reason === 'CreateContainerConfigError');
  assert.equal(phaseOf(id), 'Pending');
  const { listed, detail } = await summaries(id);
  assert.deepEqual(listed, {
    reason: 'CreateContainerConfigError',
    message: 'secret "db-password" not found',
    lastLogLines: [],
  });
  assert.deepEqual(detail, listed);
});

test('Cancelled: who cancelled it, not the deadline that stopped it', async () => {
  const id = await launched('basic', { sleepSeconds: 600 });
  await running(id);
  const del = await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${id}`,
    headers: { ...launch, 'x-grafana-user': 'bob' },
  });
  assert.equal(del.statusCode, 202, del.body);
  await waitFor('the job to show Cancelled', () => phaseOf(id) === 'Cancelled');
  assert.equal(podOf(id)?.status?.reason, 'DeadlineExceeded');
  const logReads = () => t.fake.requests.filter((r) => r.verb === 'log' && r.path.endsWith(`/pods/${id}/log`)).length;
  const before = logReads();
  const { listed, detail } = await summaries(id);
  assert.deepEqual(listed, {
    reason: 'Cancelled',
    message: 'Cancelled by bob',
    exitCode: worker(id)?.state?.terminated?.exitCode,
    lastLogLines: [],
  });
  assert.deepEqual(detail, listed);
  assert.equal(logReads(), before, 'a cancel needs no log lines');
});

test("a failed worker's summary: its termination message in the list (0 calls), its ERROR lines on the detail", async () => {
  const res = await launchJob(t.app, 'log-gen', { tasks: 12, taskIntervalMs: 1, seed: 3, fail: true });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().job.id;
  await waitFor('the job to fail', () => t.app.jobs.get(id)?.job.phase === 'Failed');

  const calls = t.fake.requests.length;
  const listed = (await t.app.inject({ url: '/api/v1/jobs?phase=Failed', headers: read })).json().items;
  assert.equal(t.fake.requests.length, calls, 'the list makes no Kubernetes call');
  const inList = listed.find((j: { id: string }) => j.id === id);
  // the worker wrote its reason to /dev/termination-log; the kubelet reported it as terminated.message
  assert.deepEqual(inList.failure, {
    reason: 'Error',
    message: 'log generation failed as requested (FAIL=true)',
    exitCode: 1,
    lastLogLines: [],
  });

  const detail = (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job;
  assert.equal(detail.failure.message, 'log generation failed as requested (FAIL=true)');
  assert.ok(detail.failure.lastLogLines.length > 0 && detail.failure.lastLogLines.length <= 5);
  for (const line of detail.failure.lastLogLines) {
    assert.equal(JSON.parse(line).level, 'ERROR', line);
  }
  // the last ERROR line the worker logged is the fail() line itself
  assert.match(detail.failure.lastLogLines.at(-1), /log generation failed as requested/);
  const logReads = t.fake.requests.filter((r) => r.verb === 'log' && r.path.endsWith(`/pods/${id}/log`));
  assert.equal(logReads.length, 1);
  assert.equal(logReads[0]!.query.tailLines, '200');
});

test('the detail answers with the Pod-only summary when the log is slow to come', async () => {
  const res = await launchJob(t.app, 'log-gen', { tasks: 2, taskIntervalMs: 1, seed: 4, fail: true });
  const id = res.json().job.id;
  await waitFor('the job to fail', () => t.app.jobs.get(id)?.job.phase === 'Failed');
  t.fake.failNext('log', { delayMs: 5000 });
  const started = Date.now();
  const detail = await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read });
  assert.ok(Date.now() - started < 4000, `${Date.now() - started} ms`);
  assert.equal(detail.statusCode, 200);
  assert.deepEqual(detail.json().job.failure.lastLogLines, []);
  assert.equal(detail.json().job.failure.message, 'log generation failed as requested (FAIL=true)');
});

test("the log's ERROR lines, when an image writes no termination log and Kubernetes has no reason", async () => {
  const id = await launched('gives-up');
  await waitFor('the job to fail', () => phaseOf(id) === 'Failed');
  // FallbackToLogsOnError: the kubelet put the log's last lines in terminated.message
  assert.equal(
    worker(id)?.state?.terminated?.message,
    'INFO connecting to db:5432\nERROR: upstream refused the connection\nINFO giving up\n'
  );
  const logReads = () => t.fake.requests.filter((r) => r.verb === 'log' && r.path.endsWith(`/pods/${id}/log`)).length;
  const before = logReads();
  const { listed, detail } = await summaries(id);
  assert.deepEqual(listed, {
    reason: 'Error',
    message: 'ERROR: upstream refused the connection',
    exitCode: 2,
    lastLogLines: ['ERROR: upstream refused the connection'],
  });
  assert.deepEqual(detail, listed);
  assert.equal(logReads(), before, 'the summary already has its ERROR lines: the detail reads no log');
});
