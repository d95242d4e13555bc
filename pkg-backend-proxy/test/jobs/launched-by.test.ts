import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAUNCHED_BY_UNKNOWN, sanitizeLaunchedBy } from '../../src/jobs/launched-by.ts';

test('with no user header, the launch says so instead of naming someone', () => {
  assert.equal(LAUNCHED_BY_UNKNOWN, 'unknown (no user header)');
  assert.equal(sanitizeLaunchedBy(undefined), LAUNCHED_BY_UNKNOWN);
  assert.equal(sanitizeLaunchedBy(' \u200B '), LAUNCHED_BY_UNKNOWN);
  assert.equal(sanitizeLaunchedBy('alice'), 'alice');
});

test('absent or empty headers fall back', () => {
  assert.equal(sanitizeLaunchedBy(undefined, 'api'), 'api');
  assert.equal(sanitizeLaunchedBy('   ', 'api'), 'api');
  assert.equal(sanitizeLaunchedBy('\u0000\u0007', 'api'), 'api');
});

test('control and format characters are dropped, whitespace trimmed', () => {
  assert.equal(sanitizeLaunchedBy('  alice\r\nINFO fake log line\t ', 'api'), 'aliceINFO fake log line');
  assert.equal(sanitizeLaunchedBy('bob\u202Egnp.exe', 'api'), 'bobgnp.exe');
  assert.equal(sanitizeLaunchedBy('zero\u200Bwidth', 'api'), 'zerowidth');
});

test('printable unicode is kept, including UTF-8 sent as raw header bytes', () => {
  assert.equal(sanitizeLaunchedBy('Zoë Ångström 山田', 'api'), 'Zoë Ångström 山田');
  const raw = Buffer.from('José', 'utf8').toString('latin1');
  assert.equal(sanitizeLaunchedBy(raw, 'api'), 'José');
  assert.equal(sanitizeLaunchedBy('caf\u00e9', 'api'), 'café');
});

test('at most 128 characters, counted as code points', () => {
  assert.equal(sanitizeLaunchedBy('x'.repeat(500), 'api').length, 128);
  assert.equal([...sanitizeLaunchedBy('😀'.repeat(200), 'api')].length, 128);
  assert.equal(sanitizeLaunchedBy(['first', 'second'], 'api'), 'first');
});
