import assert from 'node:assert/strict';
import perfHooks from 'node:perf_hooks';
import { mock, test } from 'node:test';
import { build, launchJob, read } from './helper.ts';
import { settlesWithin } from './support/promises.ts';

test('close() ends long-polls and followed log streams, and stops the watch', async () => {
  const t = await build();
  try {
    const job = (await launchJob(t.app, 'cpu-load', { durationSeconds: 60 })).json().job;
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { cursor } = (await t.app.inject({ url: '/api/v1/changes', headers: read })).json();
    // wait for the worker to run so its log can be followed
    for (let i = 0; i < 400 && t.app.jobs.get(job.id)?.job.phase !== 'Running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const logs = await fetch(`${address}/api/v1/jobs/${job.id}/logs?follow=true`, { headers: read });
    assert.equal(logs.status, 200);
    const reader = logs.body!.getReader();
    const first = await reader.read();
    assert.match(new TextDecoder().decode(first.value), /"job_type": ?"cpu-load"/);
    const poll = fetch(`${address}/api/v1/changes?since=${cursor}&timeoutSeconds=25`, { headers: read });
    await new Promise((r) => setTimeout(r, 200));
    const watchesBefore = t.fake.requestCount('watch');

    await t.app.close();

    // The long-poll would also answer 200 after its 25 s: it must be close() that ended it, so promptly.
    const answer = await settlesWithin(poll, 'the long-poll after close()');
    assert.equal(answer.status, 200);
    const drained = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        // drain whatever was in flight; the stream must end rather than hang
      }
    })();
    await settlesWithin(drained, 'the followed log stream after close()');
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(t.fake.requestCount('watch'), watchesBefore, 'no watch reconnects after close');
  } finally {
    await t.fake.stop();
  }
});

test('close() leaves no metrics collector of the app running and empties its registry', async () => {
  // the process's collectors (prom-client's defaults) start with the first app of the process, whichever file that is
  await (await build()).close();
  // prom-client enables one event-loop-delay monitor and one GC observer per collectDefaultMetrics call, with no way
  // to stop either: an app that started its own would leave them running after close()
  const monitors = mock.method(perfHooks, 'monitorEventLoopDelay');
  const observers = mock.method(perfHooks.PerformanceObserver.prototype, 'observe');
  try {
    for (let i = 0; i < 2; i++) {
      const t = await build();
      const { registry } = t.app.metrics;
      const scrape = (await t.app.inject({ url: '/metrics' })).body;
      assert.match(scrape, /^nodejs_eventloop_lag_seconds /m, "the process's metrics are served");
      assert.match(scrape, /^flowkube_cache_ready 1$/m, "and the app's");
      await t.close();
      assert.deepEqual(
        registry.getMetricsAsArray().map((m) => m.name),
        [],
        'metrics left registered after close()'
      );
    }
    assert.equal(monitors.mock.callCount(), 0, 'event-loop-delay monitors started by apps');
    const gcObservers = observers.mock.calls.filter((c) => JSON.stringify(c.arguments).includes('"gc"'));
    assert.equal(gcObservers.length, 0, 'GC observers started by apps');
  } finally {
    monitors.mock.restore();
    observers.mock.restore();
  }
});
