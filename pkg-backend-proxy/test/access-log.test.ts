import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, captureLogs, read } from './helper.ts';

test('one access line per request, with method, url, status and time; quiet routes stay quiet', async () => {
  const logs = captureLogs('info');
  const lines = logs.lines;
  const t = await build({ deps: { logger: logs.logger } });
  try {
    lines.length = 0;
    assert.equal((await t.app.inject({ url: '/api/v1/jobs?limit=1', headers: read })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/jobs/basic-missing', headers: read })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
    const access = lines.filter((l) => l.req !== undefined || l.res !== undefined);
    assert.deepEqual(
      access.map((l) => [
        l.msg,
        (l.req as { method: string; url: string }).url,
        (l.res as { statusCode: number }).statusCode,
      ]),
      [
        ['request completed', '/api/v1/jobs?limit=1', 200],
        ['request completed', '/api/v1/jobs/basic-missing', 404],
      ]
    );
    for (const l of access) {
      assert.equal((l.req as { method: string }).method, 'GET');
      assert.equal(typeof l.responseTime, 'number');
    }
    assert.ok(!lines.some((l) => l.msg === 'incoming request'));
  } finally {
    await t.close();
  }
});
