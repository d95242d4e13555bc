import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isActive, isFinished, isJobPhase, JOB_PHASES } from '../../src/contract/phases.ts';

test('only Pending and Running jobs that no one has asked to stop are active', () => {
  assert.equal(isActive({ phase: 'Pending' }), true);
  assert.equal(isActive({ phase: 'Running' }), true);
  // a cancel (or retention) under way: counted neither by the limits nor as cancellable
  assert.equal(isActive({ phase: 'Running', deletedAt: '2026-11-26T10:05:00Z' }), false);
  // cancelled, its Pod still stopping: no longer cancellable and no longer holding its slot
  assert.equal(isActive({ phase: 'Running', cancelledAt: '2026-11-26T10:05:00Z' }), false);
  for (const phase of ['Succeeded', 'Failed', 'Cancelled', 'Unknown'] as const) {
    assert.equal(isActive({ phase }), false, phase);
  }
});

test('Succeeded, Failed and Cancelled are finished; Pending, Running and Unknown are not', () => {
  assert.deepEqual(JOB_PHASES.filter(isFinished), ['Succeeded', 'Failed', 'Cancelled']);
});

test('a phase is one of the six the API shows, spelled as Kubernetes spells it', () => {
  assert.deepEqual(JOB_PHASES.filter(isJobPhase), [...JOB_PHASES]);
  for (const other of ['running', 'Terminating', '', 'Completed']) {
    assert.equal(isJobPhase(other), false, other);
  }
});
