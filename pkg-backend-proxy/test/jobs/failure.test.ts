import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1ContainerState, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { jobFromPod } from '../../src/catalog/job-from-pod.ts';
import { isErrorLine, lastErrorLines, withLogLines } from '../../src/jobs/failure.ts';

const T1 = '2026-11-26T10:00:02Z';
const T2 = '2026-11-26T10:00:30Z';

function pod(status: V1PodStatus, annotations: Record<string, string> = {}): V1Pod {
  return {
    metadata: {
      name: 'log-gen-bcdfg',
      creationTimestamp: new Date('2026-11-26T10:00:00Z'),
      labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'log-gen' },
      annotations: { 'flowkube.io/launched-by': 'alice', ...annotations },
    },
    spec: { containers: [{ name: 'worker', image: 'w', resources: { limits: { memory: '64Mi' } } }] },
    status,
  };
}

const container = (state: V1ContainerState) => ({
  name: 'worker',
  image: 'w',
  imageID: '',
  ready: false,
  restartCount: 0,
  state,
});
const exited = (exitCode: number, reason: string, message?: string) =>
  container({ terminated: { exitCode, reason, message, startedAt: new Date(T1), finishedAt: new Date(T2) } });

const failureOf = (p: V1Pod) => jobFromPod(p).failure;

test('OOMKilled says so with the memory limit, and keeps the exit code', () => {
  const f = failureOf(pod({ phase: 'Failed', containerStatuses: [exited(137, 'OOMKilled')] }));
  assert.deepEqual(f, {
    reason: 'OOMKilled',
    message: 'the container used more memory than its limit and was killed (memory limit 64Mi)',
    exitCode: 137,
    lastLogLines: [],
  });
});

test("DeadlineExceeded and Evicted carry Kubernetes' own message", () => {
  const deadline = failureOf(
    pod({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
      containerStatuses: [exited(137, 'Error')],
    })
  );
  assert.deepEqual(
    [deadline?.reason, deadline?.message, deadline?.exitCode],
    ['DeadlineExceeded', 'Pod was active on the node longer than the specified deadline', 137]
  );
  const evicted = failureOf(
    pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' })
  );
  assert.deepEqual([evicted?.reason, evicted?.message], ['Evicted', 'The node was low on resource: memory.']);
  assert.equal(evicted?.exitCode, undefined);
});

test('a Pod stuck on ImagePullBackOff or CreateContainerConfigError has a summary while still Pending', () => {
  const pull = failureOf(
    pod({
      phase: 'Pending',
      containerStatuses: [
        container({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "w"' } }),
      ],
    })
  );
  assert.deepEqual(pull, { reason: 'ImagePullBackOff', message: 'Back-off pulling image "w"', lastLogLines: [] });
  const config = failureOf(
    pod({
      phase: 'Pending',
      containerStatuses: [
        container({ waiting: { reason: 'CreateContainerConfigError', message: 'secret "db-password" not found' } }),
      ],
    })
  );
  assert.deepEqual([config?.reason, config?.message], ['CreateContainerConfigError', 'secret "db-password" not found']);
  // merely starting is no failure
  assert.equal(
    failureOf(pod({ phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ContainerCreating' } })] })),
    undefined
  );
});

test('a deadline that ends a Pod whose image never pulled says both', () => {
  const f = failureOf(
    pod({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
      containerStatuses: [container({ waiting: { reason: 'ImagePullBackOff' } })],
    })
  );
  assert.equal(
    f?.message,
    'Pod was active on the node longer than the specified deadline (the container never started: ImagePullBackOff)'
  );
});

test('a cancelled job names who cancelled it, not the deadline that stopped it', () => {
  const f = failureOf(
    pod(
      { phase: 'Failed', reason: 'DeadlineExceeded', containerStatuses: [exited(137, 'Error')] },
      { 'flowkube.io/cancelled-by': 'bob', 'flowkube.io/cancelled-at': '2026-11-26T10:00:20Z' }
    )
  );
  assert.deepEqual(f, { reason: 'Cancelled', message: 'Cancelled by bob', exitCode: 137, lastLogLines: [] });
});

test("the worker's termination message is the message when Kubernetes gives no reason of its own", () => {
  const f = failureOf(
    pod({
      phase: 'Failed',
      containerStatuses: [exited(1, 'Error', 'log generation failed as requested (FAIL=true)')],
    })
  );
  assert.deepEqual(f, {
    reason: 'Error',
    message: 'log generation failed as requested (FAIL=true)',
    exitCode: 1,
    lastLogLines: [],
  });
});

test('a termination message that is the log tail (FallbackToLogsOnError) gives the last ERROR lines, exactly', () => {
  const tail = [
    '{"ts":"2026-11-26T10:00:03Z","level":"INFO","msg":"task done","seed":9007199254740993123}',
    '{"ts":"2026-11-26T10:00:04Z","level":"ERROR","msg":"task failed: upstream timeout","seed":9007199254740993123}',
    'WARN retrying',
    'ERROR: write failed: disk quota',
    'done',
  ].join('\n');
  const f = failureOf(pod({ phase: 'Failed', containerStatuses: [exited(2, 'Error', tail)] }));
  assert.deepEqual(f?.lastLogLines, [
    '{"ts":"2026-11-26T10:00:04Z","level":"ERROR","msg":"task failed: upstream timeout","seed":9007199254740993123}',
    'ERROR: write failed: disk quota',
  ]);
  // the last ERROR line is the message; a 19-digit number in a line is kept as written
  assert.equal(f?.message, 'ERROR: write failed: disk quota');
  assert.equal(f?.exitCode, 2);
});

test('without any message the exit code is said, and the detail fills it from the log tail', () => {
  const f = failureOf(pod({ phase: 'Failed', containerStatuses: [exited(3, 'Error')] }))!;
  assert.equal(f.message, 'exited with code 3');
  const log = [
    '{"level":"INFO","msg":"start"}',
    ...Array.from({ length: 7 }, (_, i) => `{"level":"ERROR","msg":"boom ${i}"}`),
    '{"level":"INFO","msg":"bye"}',
  ].join('\n');
  const filled = withLogLines(f, log);
  assert.equal(filled.lastLogLines.length, 5);
  assert.equal(filled.lastLogLines.at(-1), '{"level":"ERROR","msg":"boom 6"}');
  assert.equal(filled.message, 'boom 6');
  // a message the worker wrote stays the message
  const written = failureOf(pod({ phase: 'Failed', containerStatuses: [exited(1, 'Error', 'bad DB_URL')] }))!;
  assert.equal(withLogLines(written, log).message, 'bad DB_URL');
});

test('succeeded and running jobs have no failure', () => {
  assert.equal(failureOf(pod({ phase: 'Succeeded', containerStatuses: [exited(0, 'Completed')] })), undefined);
  assert.equal(failureOf(pod({ phase: 'Running', containerStatuses: [container({ running: {} })] })), undefined);
});

test('ERROR level is read from a JSON level field or a leading word, in any case', () => {
  for (const line of ['{"level":"error","msg":"x"}', '{"severity": "FATAL"}', 'ERROR x', '[error] x', 'CRITICAL: y']) {
    assert.equal(isErrorLine(line), true, line);
  }
  for (const line of ['{"level":"INFO","msg":"no error here"}', 'INFO ERROR later', 'errors: 0']) {
    assert.equal(isErrorLine(line), false, line);
  }
  assert.deepEqual(lastErrorLines('\n\nERROR a\nINFO b\n'), ['ERROR a']);
});
