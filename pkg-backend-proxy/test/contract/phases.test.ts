import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  inPhaseFilter,
  isActive,
  isFinished,
  isJobPhase,
  isPhaseFilter,
  JOB_PHASES,
  PHASE_FILTERS,
} from '../../src/contract/phases.ts';

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

test('the phase filter takes a phase or active, and active keeps what isActive keeps; active is no phase', () => {
  assert.equal(isJobPhase('active'), false);
  assert.deepEqual(PHASE_FILTERS.filter(isPhaseFilter), [...PHASE_FILTERS]);
  for (const other of ['Active', 'running', '', 'all']) {
    assert.equal(isPhaseFilter(other), false, other);
  }
  const stopping = { phase: 'Running' as const, cancelledAt: '2026-11-26T10:05:00Z' };
  assert.equal(inPhaseFilter(stopping, 'Running'), true);
  assert.equal(inPhaseFilter(stopping, 'active'), false);
  for (const phase of JOB_PHASES) {
    assert.equal(inPhaseFilter({ phase }, 'active'), isActive({ phase }), phase);
    assert.equal(inPhaseFilter({ phase }, phase), true, phase);
  }
});
