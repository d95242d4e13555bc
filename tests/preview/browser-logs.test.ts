// The job page's log viewer in Chromium (issue 12 §3): follow and pause, search, level filter and download, on a
// real log-gen worker's log through the real proxy. Then, on a preview Grafana with a Loki data source (the stack's
// Loki stand-in, fed the proxy's audit events and the workers' logs), the History tab and the page of a job whose Pod
// is gone (§4). Its own stack and timeout, like the other browser-*.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { testIds } from '../../src/components/testIds.ts';
import { HISTORY_TABLE, measureLayout } from './layoutProblems.ts';
import type { PreviewServer } from './server.ts';
import { APP, browserSpec, PHASE_TIMEOUT_MS } from './spec.ts';
import { waitFor } from '../fake-kube/wait-for.ts';

/** Pixels between the log box's bottom edge and the end of its content. */
const gapToEnd = (page: Page) =>
  page.getByRole('log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

const LOKI_UID = 'preview-loki';

interface ProxyJob {
  id: string;
  phase: string;
  launchedBy: string;
}

describe('the log viewer in a real browser (preview harness)', { timeout: 600_000 }, () => {
  const spec = browserSpec({ startDelayMs: 300 });
  let page: Page;
  let jobId = '';

  /** The proxy's own answer (launch token, optionally as a Grafana user would be named to it). */
  const proxy = (path: string, init: RequestInit = {}, user?: string) =>
    fetch(`${spec.stack.proxyUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${spec.stack.launchToken}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...(user && { 'x-grafana-user': user }),
      },
    });
  const finished = (id: string) =>
    waitFor(
      `job ${id} to finish`,
      async () => {
        const { job } = (await (await proxy(`/api/v1/jobs/${id}`)).json()) as { job: ProxyJob };
        return ['Succeeded', 'Failed'].includes(job.phase) && job;
      },
      PHASE_TIMEOUT_MS
    );

  it('follows the end while the job runs; scrolling up pauses, "Jump to end" follows again', async () => {
    // The bundle loads first and the job starts after, reached by the app's own link: on a loaded machine a
    // first page load can outlast the job, leaving nothing to follow.
    page = await spec.openAs('Editor', `${APP}/jobs`, { context: { acceptDownloads: true } });
    await page.getByTestId(testIds.jobs.container).waitFor();
    // Enough lines to scroll, slow enough to still be running while the page follows it.
    const response = await fetch(`${spec.stack.proxyUrl}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${spec.stack.launchToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'log-gen', params: { tasks: 120, taskIntervalMs: 150, seed: 2147483647 } }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    jobId = ((await response.json()) as { job: { id: string } }).job.id;
    await page.getByTestId(testIds.jobs.row(jobId)).getByRole('link', { name: jobId, exact: true }).click();
    const rows = page.getByTestId(testIds.jobDetail.logLine);
    // more lines than the box shows, so there is something to follow
    await page.waitForFunction(
      (id) => {
        const box = document.querySelector('[role="log"]');
        return box !== null && box.scrollHeight > box.clientHeight * 1.5 && id !== '';
      },
      jobId,
      { timeout: 60_000 }
    );
    const before = await rows.count();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="data-testid job-log-line"]').length > n,
      before
    );
    assert.ok((await gapToEnd(page)) < 30, 'the box stays at the end as lines arrive');

    await page.getByRole('log').evaluate((el) => el.scrollTo({ top: 0 }));
    const follow = page.getByTestId(testIds.jobDetail.logFollow);
    await follow.filter({ hasText: 'Jump to end' }).waitFor();
    const countWhenPaused = await rows.count();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="data-testid job-log-line"]').length > n,
      countWhenPaused
    );
    assert.equal(
      await page.getByRole('log').evaluate((el) => el.scrollTop),
      0,
      'a paused box is not moved by new lines'
    );

    await follow.click();
    await follow.filter({ hasText: 'Pause' }).waitFor();
    assert.ok((await gapToEnd(page)) < 30, '"Jump to end" goes to the end');
  });

  it('search highlights and filters; the level filter keeps only that level', async () => {
    // wait for the end of the job, so the counts below do not move
    await page.getByText(/^\d+ lines$/).waitFor();
    await page.getByTestId(testIds.jobDetail.logFollow).waitFor({ state: 'detached', timeout: 60_000 });
    const rows = page.getByTestId(testIds.jobDetail.logLine);
    const all = await rows.count();

    // log-gen writes "batch written" and "partial batch written" among other messages (python/app_log.py)
    await page.getByTestId(testIds.jobDetail.logSearch).fill('BATCH');
    await page.getByText(new RegExp(`^\\d+ of ${all} lines$`)).waitFor();
    const found = await rows.allInnerTexts();
    assert.ok(found.length > 0 && found.length < all, `search filters (${found.length} of ${all})`);
    assert.ok(
      found.every((t) => t.toLowerCase().includes('batch')),
      'only matching lines are left'
    );
    assert.equal((await rows.first().locator('mark').first().innerText()).toLowerCase(), 'batch');
    await page.getByTestId(testIds.jobDetail.logSearch).fill('');
    await page.getByText(`${all} lines`, { exact: true }).waitFor();

    const warning = page.getByText(/^Warning \(\d+\)$/);
    await warning.click();
    await page.getByText(new RegExp(`^\\d+ of ${all} lines$`)).waitFor();
    const warns = await rows.allInnerTexts();
    assert.ok(warns.length > 0 && warns.length < all, `level filter (${warns.length} of ${all})`);
    assert.ok(
      warns.every((t) => t.includes('"level":"WARN"')),
      'only WARN lines are left'
    );
    await warning.click();
    await page.getByText(`${all} lines`, { exact: true }).waitFor();
    assert.equal(await rows.count(), all);
  });

  it('downloads the whole log, byte for byte what the proxy has, 10-digit seed included', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(testIds.jobDetail.logDownload).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${jobId}.log`);
    const file = readFileSync((await download.path())!, 'utf8');
    const proxied = await fetch(`${spec.stack.proxyUrl}/api/v1/jobs/${jobId}/logs`, {
      headers: { authorization: `Bearer ${spec.stack.readToken}` },
    });
    assert.equal(file, await proxied.text());
    assert.match(file, /"seed":2147483647/);
    assert.ok(
      (await page.getByRole('log').innerText()).includes('"seed":2147483647'),
      'the page shows the number as written'
    );
  });

  describe('on a preview Grafana with a Loki data source', () => {
    let grafana: PreviewServer | undefined;
    let history: Page;
    let failedId = '';
    const outcomes: Array<[ProxyJob, string]> = [];
    const row = (id: string) => history.getByRole('row').filter({ has: history.getByTestId(testIds.history.row(id)) });

    before(async () => {
      // Fluent Bit ships the worker logs from here on, each Pod's from its first line (the first job's too)
      spec.stack.shipWorkerLogs();
      const launched = await proxy(
        '/api/v1/jobs',
        {
          method: 'POST',
          body: JSON.stringify({ template: 'log-gen', params: { tasks: 3, taskIntervalMs: 0, fail: true } }),
        },
        'alice'
      );
      assert.equal(launched.status, 201, await launched.clone().text());
      failedId = ((await launched.json()) as { job: ProxyJob }).job.id;
      // a launch the proxy refuses is in the history too, as Rejected
      const refused = await proxy(
        '/api/v1/jobs',
        { method: 'POST', body: JSON.stringify({ template: 'log-gen', params: { tasks: 0 } }) },
        'bob'
      );
      assert.equal(refused.status, 400, await refused.clone().text());
      const [first, failed] = await Promise.all([finished(jobId), finished(failedId)]);
      assert.equal(failed.phase, 'Failed');
      assert.equal(failed.launchedBy, 'alice');
      outcomes.push([first, 'Succeeded'], [failed, 'Failed']);

      const { proxyUrl, readToken, launchToken, loki } = spec.stack;
      grafana = await spec.startGrafana({
        sendUserHeader: true,
        settings: { jsonData: { proxyUrl, lokiDatasourceUid: LOKI_UID }, secureJsonData: { readToken, launchToken } },
        loki: { uid: LOKI_UID, store: loki },
      });
      history = await spec.openAs('Editor', `${APP}/jobs/history`, { on: grafana });
    });

    after(() => grafana?.stop());

    it('History lists the jobs that ran with outcome, who and duration, and the refused launch', async () => {
      await row(failedId).waitFor();
      await row(jobId).waitFor();
      const headers = (await history.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
      const durationColumn = headers.indexOf('Duration');
      assert.ok(durationColumn >= 0, `a Duration column at 1400 px: ${headers.join(' | ')}`);
      for (const [job, outcome] of outcomes) {
        const text = await row(job.id).innerText();
        assert.ok(text.includes(outcome), `${job.id} shows ${outcome}: ${text}`);
        assert.ok(text.includes(job.launchedBy), `${job.id} shows who launched it (${job.launchedBy}): ${text}`);
        const duration = (await row(job.id).getByRole('cell').nth(durationColumn).innerText()).trim();
        assert.match(duration, /^\d+(\.\d+)?\s?(ms|s|m)/, `${job.id} shows a duration: ${duration}`);
      }
      await history.getByRole('row').filter({ hasText: 'Rejected' }).filter({ hasText: 'bob' }).waitFor();
    });

    for (const width of [1024, 1400, 1920]) {
      it(`History at ${width} px: ids, dates and Logs keep one line, unclipped, with no horizontal scroll`, async () => {
        await history.setViewportSize({ width, height: 900 });
        const report = await measureLayout(history, HISTORY_TABLE);
        assert.deepEqual(report.problems, [], `layout at ${width} px (columns: ${report.columns})`);
        // both jobs and the refused launch were measured, and each job's Logs button
        assert.equal(report.rows, 3);
        assert.equal(report.buttons, 2);
        if (width === 1024) {
          assert.notEqual(report.columns, 'wide', 'secondary columns collapse into the row detail at 1024 px');
          // what a collapsed column held is one click away, in the row's detail
          await row(failedId).getByRole('button', { name: 'Toggle row expanded' }).click();
          const detail = row(failedId).locator('xpath=following-sibling::tr[1]');
          await detail.filter({ hasText: 'tasks' }).waitFor();
          assert.match(await detail.innerText(), /alice/);
          await row(failedId).getByRole('button', { name: 'Toggle row expanded' }).click();
          // off the button, so its tooltip is not in the 1400 px screenshot
          await history.mouse.move(0, 0);
        }
        if (width === 1920) {
          assert.equal(report.columns, 'wide');
        }
        if (width === 1400) {
          await spec.shot(history, 'history');
        }
      });
    }

    it('the outcome filter narrows History, and is kept in the URL', async () => {
      await history.setViewportSize({ width: 1400, height: 900 });
      await history.getByTestId(testIds.history.filterOutcome).getByRole('radio', { name: 'Failed' }).click();
      await row(jobId).waitFor({ state: 'detached' });
      assert.equal(await row(failedId).count(), 1, 'the failed job stays');
      assert.match(history.url(), /outcome=Failed/);
      await history.getByTestId(testIds.history.filterOutcome).getByRole('radio', { name: 'All' }).click();
      await row(jobId).waitFor();
    });

    it('a purged job opens from History, rebuilt from its audit events in Loki', async () => {
      // purged: the proxy and the cluster forget it, Loki keeps its events and its log
      const purged = await proxy(`/api/v1/jobs/${jobId}?purge=true`, { method: 'DELETE' }, 'bob');
      assert.equal(purged.status, 202, await purged.clone().text());
      await waitFor(
        `Pod ${jobId} to be deleted`,
        () => !spec.stack.fake.pods().some((p) => p.metadata?.name === jobId)
      );
      assert.equal((await proxy(`/api/v1/jobs/${jobId}`)).status, 404);
      await row(jobId).getByRole('link', { name: jobId, exact: true }).click();
      const recorded = history.getByTestId(testIds.history.recorded);
      await recorded.waitFor({ timeout: PHASE_TIMEOUT_MS });
      assert.match(await recorded.innerText(), /purged by bob/);
      assert.equal(await history.getByText(`Job ${jobId} no longer exists`).count(), 0);
    });
  });
});
