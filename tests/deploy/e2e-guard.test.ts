// The e2e-cluster run must refuse to touch any cluster unless it is named twice (KUBECONFIG + --context).
// Only the pure guard is exercised: no kubectl, no cluster, no kubeconfig on disk.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { checkGuard, contextFlag } from '../e2e-cluster/guard.ts';

const KUBECONFIG = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'kind-flowkube',
  contexts: [
    { name: 'kind-flowkube', context: { cluster: 'kind-flowkube', user: 'u' } },
    { name: 'prod', context: { cluster: 'prod', user: 'u' } },
  ],
  clusters: [
    { name: 'kind-flowkube', cluster: { server: 'https://127.0.0.1:40000' } },
    { name: 'prod', cluster: { server: 'https://prod.example.com' } },
  ],
});

const files: Record<string, string> = { '/tmp/kind.yaml': KUBECONFIG };
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) {
    throw new Error(`ENOENT: ${path}`);
  }
  return text;
};

describe('e2e-cluster guard', () => {
  test('runs only with an explicit KUBECONFIG and --context equal to its current-context', () => {
    assert.deepEqual(checkGuard({ KUBECONFIG: '/tmp/kind.yaml' }, ['--context', 'kind-flowkube'], read), {
      ok: true,
      kubeconfig: '/tmp/kind.yaml',
      context: 'kind-flowkube',
      server: 'https://127.0.0.1:40000',
    });
    assert.equal(checkGuard({ KUBECONFIG: '/tmp/kind.yaml' }, ['--context=kind-flowkube'], read).ok, true);
  });

  const refusals: Array<[string, Record<string, string | undefined>, string[], RegExp]> = [
    [
      'no KUBECONFIG (the default ~/.kube/config is never used)',
      {},
      ['--context', 'kind-flowkube'],
      /KUBECONFIG is not set/,
    ],
    ['an empty KUBECONFIG', { KUBECONFIG: '  ' }, ['--context', 'kind-flowkube'], /KUBECONFIG is not set/],
    [
      'several kubeconfig files',
      { KUBECONFIG: '/tmp/kind.yaml:/tmp/other.yaml' },
      ['--context', 'kind-flowkube'],
      /several files/,
    ],
    ['no --context', { KUBECONFIG: '/tmp/kind.yaml' }, [], /missing --context/],
    ['--context without a value', { KUBECONFIG: '/tmp/kind.yaml' }, ['--context', '--keep'], /needs a value/],
    [
      'another context than the current one',
      { KUBECONFIG: '/tmp/kind.yaml' },
      ['--context', 'prod'],
      /does not match the current-context .*\(kind-flowkube\)/,
    ],
    [
      'an unreadable kubeconfig',
      { KUBECONFIG: '/tmp/missing.yaml' },
      ['--context', 'kind-flowkube'],
      /cannot read KUBECONFIG/,
    ],
  ];
  for (const [name, env, argv, reason] of refusals) {
    test(`refuses: ${name}`, () => {
      const result = checkGuard(env, argv, read);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.reason, reason);
    });
  }

  test('refuses a kubeconfig without a current-context or whose context has no cluster', () => {
    files['/tmp/none.yaml'] = stringify({ contexts: [] });
    files['/tmp/dangling.yaml'] = stringify({
      'current-context': 'x',
      contexts: [{ name: 'x', context: { cluster: 'gone' } }],
    });
    const none = checkGuard({ KUBECONFIG: '/tmp/none.yaml' }, ['--context', 'x'], read);
    assert.match(none.ok ? '' : none.reason, /has no current-context/);
    const dangling = checkGuard({ KUBECONFIG: '/tmp/dangling.yaml' }, ['--context', 'x'], read);
    assert.match(dangling.ok ? '' : dangling.reason, /names no cluster/);
  });

  test('contextFlag reads both spellings and reports a missing flag', () => {
    assert.equal(contextFlag(['--images', 'kind:x', '--context', 'a']), 'a');
    assert.equal(contextFlag(['--context=b']), 'b');
    assert.equal(contextFlag(['--images', 'kind:x']), undefined);
  });
});
