import assert from 'node:assert/strict';
import { type AddressInfo, connect } from 'node:net';
import { after, before, test } from 'node:test';
import { DEFAULT_TIMEOUTS, serverOptions } from '../src/http-server.ts';
import { type Built, build, LAUNCH_TOKEN } from './helper.ts';

let t: Built;
let port: number;
before(async () => {
  t = await build({ deps: { serverTimeouts: { requestMs: 1000, headersMs: 600, checkIntervalMs: 100 } } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
  // a route's first answer compiles its serializers (hundreds of ms on a loaded CI machine): paid here, so the
  // bounds below time the server's timeouts and refusals, not that
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/jobs' })).statusCode, 401);
  assert.equal(
    (await t.app.inject({ url: '/api/v1/jobs', headers: { authorization: `Bearer ${LAUNCH_TOKEN}` } })).statusCode,
    200
  );
});
after(() => t.close());

/** Sends `head` (and optionally the first bytes of a body), then nothing; resolves with what came back and when. */
function stall(head: string): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
    // the test's own bound: a server that never cuts the client fails here instead of hanging
    setTimeout(() => socket.destroy(new Error('the server kept a stalled client for 5 s')), 5000).unref();
  });
}

function errorBody(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

test('defaults: requestTimeout 30 s, headersTimeout below it, and Node checks every 2 s', () => {
  assert.deepEqual(DEFAULT_TIMEOUTS, { requestMs: 30_000, headersMs: 15_000, checkIntervalMs: 2_000 });
  const options = serverOptions() as { requestTimeout: number; http: Record<string, number> };
  assert.equal(options.requestTimeout, 30_000);
  assert.deepEqual(options.http, { requestTimeout: 30_000, headersTimeout: 15_000, connectionsCheckingInterval: 2000 });
  // Node refuses headersTimeout > requestTimeout; a smaller requestTimeout pulls headersTimeout down with it
  const short = serverOptions({ requestMs: 500 }) as { http: Record<string, number> };
  assert.equal(short.http.headersTimeout, 500);
  assert.equal(t.app.server.requestTimeout, 1000);
  assert.equal(t.app.server.headersTimeout, 600);
});

test('a client that stalls its body is cut with a 408 in the error shape, token or not', async () => {
  for (const auth of [`Authorization: Bearer ${LAUNCH_TOKEN}\r\n`, '']) {
    const res = await stall(
      `POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"te`
    );
    if (auth === '') {
      // no token: refused at once, before the body, and the connection is not kept
      assert.match(res.text, /^HTTP\/1\.1 401 /);
      assert.match(res.text, /\r\nconnection: close\r\n/i);
      assert.ok(res.ms < 900, `took ${res.ms} ms`);
    } else {
      assert.match(res.text, /^HTTP\/1\.1 408 /);
      assert.deepEqual(errorBody(res.text), {
        error: {
          code: 'request_timeout',
          message: 'the request was not received in time; send headers and body without pauses',
        },
      });
      assert.ok(res.ms >= 900 && res.ms < 2500, `took ${res.ms} ms`);
    }
  }
});

test('a client that stalls its headers is cut at headersTimeout', async () => {
  const res = await stall('GET /api/v1/jobs HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  assert.match(res.text, /^HTTP\/1\.1 408 /);
  assert.equal((errorBody(res.text) as { error: { code: string } }).error.code, 'request_timeout');
  assert.ok(res.ms >= 500 && res.ms < 2000, `took ${res.ms} ms`);
});

test('Node-level refusals (malformed request, oversized headers) answer in the error shape', async () => {
  const malformed = await stall('GARBAGE\r\n\r\n');
  assert.match(malformed.text, /^HTTP\/1\.1 400 /);
  assert.deepEqual(errorBody(malformed.text), {
    error: { code: 'bad_request', message: 'the request is not valid HTTP/1.1' },
  });
  const big = await stall(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match(big.text, /^HTTP\/1\.1 431 /);
  assert.deepEqual(errorBody(big.text), {
    error: { code: 'bad_request', message: 'the request headers are too large' },
  });
});
