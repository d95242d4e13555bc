import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { LAUNCH_TOKEN, READ_TOKEN, build, captureLogs, flowkubePods, launchJob, read, type Built } from '../helper.ts';

test('tokens never reach the log, whatever the answer', async () => {
  const logs = captureLogs('trace');
  const t = await build({ deps: { logger: logs.logger } });
  try {
    assert.equal((await launchJob(t.app, 'basic', { sleepSeconds: 0 })).statusCode, 201);
    assert.equal((await t.app.inject({ url: '/api/v1/jobs', headers: read })).statusCode, 200);
    const wrong = 'Bearer a-wrong-token-that-must-not-be-logged';
    assert.equal((await t.app.inject({ url: '/api/v1/jobs', headers: { authorization: wrong } })).statusCode, 403);
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: read,
      payload: { template: 'basic' },
    });
    assert.equal(forbidden.statusCode, 403);
    assert.ok(logs.text.includes('"url":"/api/v1/jobs"'), 'requests are logged');
    for (const secret of [READ_TOKEN, LAUNCH_TOKEN, 'a-wrong-token-that-must-not-be-logged']) {
      assert.ok(!logs.text.includes(secret), `a token leaked into the log`);
    }
    // and never into an answer either
    assert.ok(!forbidden.body.includes(READ_TOKEN));
  } finally {
    await t.close();
  }
});

describe('a wrong token is not an expired session', () => {
  let t: Built;
  before(async () => {
    t = await build();
  });
  after(() => t.close());

  test('only a missing Authorization header is 401 with WWW-Authenticate: Bearer', async () => {
    const res = await t.app.inject({ url: '/api/v1/jobs' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
    assert.equal(res.json().error.code, 'unauthorized');
  });

  test('a wrong read token is 403 token_rejected naming the read token and where it is set', async () => {
    const res = await t.app.inject({ url: '/api/v1/jobs', headers: { authorization: 'Bearer not-the-read-token' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.headers['www-authenticate'], undefined);
    assert.deepEqual(res.json(), {
      error: {
        code: 'token_rejected',
        message:
          "the read token was refused (it matches neither FlowKube token): set the read token on the app's " +
          'configuration page (Administration → Plugins → FlowKube Jobs → Configuration)',
      },
    });
  });

  test('a wrong launch token is 403 token_rejected naming the launch token, and creates nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: { authorization: 'Bearer not-the-launch-token' },
      payload: { template: 'basic' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'token_rejected');
    assert.match(res.json().error.message, /^the launch token was refused .*Configuration\)$/);
    assert.equal(flowkubePods(t.fake).length, 0);
  });

  test('an empty token (what Grafana sends while none is configured) is token_rejected, not 401', async () => {
    for (const authorization of ['Bearer ', 'Bearer', '']) {
      const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/jobs/basic-x', headers: { authorization } });
      assert.equal(res.statusCode, 403, JSON.stringify(authorization));
      assert.match(res.json().error.message, /^no launch token was sent: set the launch token/);
    }
  });

  test('a 401 closes the connection; a 403 keeps it', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest({ port, host: '127.0.0.1', path: '/api/v1/jobs', headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', reject);
        req.end();
      });
    const missing = await get({ connection: 'keep-alive' });
    assert.deepEqual([missing.status, missing.connection], [401, 'close']);
    const wrong = await get({ connection: 'keep-alive', authorization: 'Bearer not-a-token-at-all' });
    assert.deepEqual([wrong.status, wrong.connection], [403, 'keep-alive']);
  });
});
