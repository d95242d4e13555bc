import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCatalog } from '../../src/catalog/load.ts';
import { build, launchJob, read, waitFor } from '../helper.ts';

// A catalog env value that /templates never shows, and a parameter that lands in the same container's env.
const CATALOG = JSON.stringify({
  templates: [
    {
      id: 'basic',
      title: 'Basic',
      description: 'prints MESSAGE',
      image: 'flowkube/worker:0.1.0',
      command: ['python', '/app/app_basic.py'],
      env: [
        { name: 'SECRET_ENV', value: 'catalog-only-value' },
        { name: 'MESSAGE', fromParam: 'message' },
        { name: 'SLEEP_SECONDS', fromParam: 'sleepSeconds' },
      ],
      params: {
        type: 'object',
        additionalProperties: false,
        properties: {
          message: { type: 'string', maxLength: 256, default: 'hi' },
          sleepSeconds: { type: 'integer', minimum: 0, maximum: 10, default: 0 },
        },
      },
      resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
      timeoutSeconds: 60,
      maxConcurrent: 5,
    },
  ],
});

test('a parameter value $(SECRET_ENV) reaches the worker literally and the job record shows it as run', async () => {
  const t = await build({ catalog: parseCatalog(CATALOG, 'expansion.yaml') });
  try {
    const typed = 'see $(SECRET_ENV) and $$(SECRET_ENV)';
    const res = await launchJob(t.app, 'basic', { message: typed, sleepSeconds: 0 });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().job.id as string;
    await waitFor('the job to finish', async () => {
      const job = (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job;
      return job.phase === 'Succeeded' && job;
    });
    const logs = await t.app.inject({ url: `/api/v1/jobs/${id}/logs`, headers: read });
    assert.equal(logs.statusCode, 200);
    assert.ok(logs.body.includes('see $(SECRET_ENV) and $$(SECRET_ENV)'), logs.body);
    assert.ok(!logs.body.includes('catalog-only-value'), 'the catalog value leaked through a parameter');
    const job = (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job;
    assert.equal(job.params.message, typed);
  } finally {
    await t.close();
  }
});
