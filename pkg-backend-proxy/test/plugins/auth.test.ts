import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAUNCH_TOKEN, READ_TOKEN, build, captureLogs, launchJob, read } from '../helper.ts';

test('tokens never reach the log, whatever the answer', async () => {
  const logs = captureLogs('trace');
  const t = await build({ deps: { logger: logs.logger } });
  try {
    assert.equal((await launchJob(t.app, 'basic', { sleepSeconds: 0 })).statusCode, 201);
    assert.equal((await t.app.inject({ url: '/api/v1/jobs', headers: read })).statusCode, 200);
    const wrong = 'Bearer a-wrong-token-that-must-not-be-logged';
    assert.equal((await t.app.inject({ url: '/api/v1/jobs', headers: { authorization: wrong } })).statusCode, 401);
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
