// The helpers behind the compose checks must themselves catch what they are there to catch.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { containerPorts, envRefs, hostPortRefs, mounts, startOrder } from './lib/compose.ts';

describe('compose check helpers', () => {
  test('hostPortRefs finds service URLs and skips IPs and dotted domains', () => {
    const refs = hostPortRefs(
      'a http://proxy:8080/x b https://k3s:6443 c https://127.0.0.1:6443 d http://grafana.com e http://loki'
    );
    assert.deepEqual(refs, [
      { host: 'proxy', port: 8080, ref: 'http://proxy:8080' },
      { host: 'k3s', port: 6443, ref: 'https://k3s:6443' },
      { host: 'loki', port: 80, ref: 'http://loki' },
    ]);
  });

  test('envRefs finds ${VAR} and $VAR', () => {
    assert.deepEqual(envRefs('url: ${FLOWKUBE_PROXY_URL} token: $FLOWKUBE_READ_TOKEN'), [
      'FLOWKUBE_PROXY_URL',
      'FLOWKUBE_READ_TOKEN',
    ]);
  });

  test('mounts and containerPorts read both short and long syntax', () => {
    const service = {
      volumes: ['/abs/file:/in/file:ro', 'named:/data', { type: 'bind', source: '/x', target: '/y' }],
      ports: ['3000:3000/tcp', { target: 9090, published: 9091 }],
      expose: ['10250'],
    };
    assert.deepEqual(mounts(service), [
      { source: '/abs/file', target: '/in/file', bind: true },
      { source: 'named', target: '/data', bind: false },
      { source: '/x', target: '/y', bind: true },
    ]);
    assert.deepEqual(containerPorts(service), [3000, 9090, 10250]);
  });

  test('startOrder orders dependencies first and rejects cycles and unknown services', () => {
    assert.deepEqual(startOrder({ services: { b: { depends_on: { a: { condition: 'service_healthy' } } }, a: {} } }), [
      'a',
      'b',
    ]);
    assert.throws(
      () => startOrder({ services: { a: { depends_on: ['b'] }, b: { depends_on: ['a'] } } }),
      /dependency cycle: a → b → a/
    );
    assert.throws(() => startOrder({ services: { a: { depends_on: ['ghost'] } } }), /unknown service ghost/);
  });
});
