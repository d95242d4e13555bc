// The job page's log viewer in Chromium (issue 12 §3): follow and pause, search, level filter and download, on a
// real log-gen worker's log through the real proxy. Then, on a preview Grafana with a Loki data source (the stack's
// Loki stand-in, fed the proxy's audit events and the workers' logs), the History tab, the page of a job whose Pod is
// gone (§4), and a job's page switching in place from the proxy's viewer to Loki's logs as the job is purged. Its own
// stack and timeout, like the other browser-*.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { JobFailure } from '@flowkube/backend-proxy/contract';
import { testIds } from '../../src/components/testIds.ts';
import { HISTORY_TABLE, measureLayout } from './layoutProblems.ts';
import { type LokiQuery, LokiStore } from './loki.ts';
import { shipAuditLine } from './lokiShipper.ts';
import type { PreviewServer } from './server.ts';
import { APP, bootId, browserSpec, PHASE_TIMEOUT_MS } from './spec.ts';
import { waitFor } from '../fake-kube/wait-for.ts';

/** Pixels between the log box's bottom edge and the end of its content. */
const gapToEnd = (page: Page) =>
  page.getByRole('log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

const LOKI_UID = 'preview-loki';

/** What log-gen gives as its reason when asked to fail, in its last log line and its termination log (python/app_log.py). */
const FAILED_AS_REQUESTED = 'log generation failed as requested (FAIL=true)';

/** Lines the element's text takes on screen: its line boxes, told apart by their tops (runs inside the page). */
const lineCount = (el: Element) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = Array.from(range.getClientRects())
    .filter((r) => r.width > 0)
    .map((r) => Math.round(r.top));
  return new Set(tops).size;
};

/** The outline of a Grafana icon, from the file the preview serves it from (server.ts: @grafana/ui's own icons). */
const iconPath = (name: string) => {
  const dir = path.resolve(import.meta.dirname, '../../node_modules/@grafana/ui/dist/public/img/icons/unicons');
  return /\sd="([^"]+)"/.exec(readFileSync(path.join(dir, `${name}.svg`), 'utf8'))![1];
};

/** Grafana's error text colour, as CSS computes it (@grafana/data themes/palette.ts: redDarkText, redLightText). */
const ERROR_TEXT = { dark: 'rgb(255, 82, 134)', light: 'rgb(207, 14, 91)' };

/**
 * The failed job's timeline on `page`: Created and Started done, the last step "Failed (Error)" with the failed
 * icon (times-circle, not the check of a step done) in the theme's error colour.
 */
async function expectFailedStep(page: Page, theme: 'dark' | 'light') {
  const steps = page.getByTestId(testIds.jobDetail.timeline).getByRole('listitem');
  const last = steps.last();
  await last.filter({ hasText: 'Failed (Error)' }).waitFor();
  assert.equal(await steps.count(), 3);
  // Grafana's Icon shows a bare placeholder, without the test id, until react-inlinesvg has loaded the icon's file
  for (const step of [steps.nth(0), steps.nth(1)]) {
    await step.getByTestId(testIds.jobDetail.timelineIcon('done')).locator('path').waitFor();
  }
  const icon = last.getByTestId(testIds.jobDetail.timelineIcon('failed'));
  await icon.locator('path').waitFor();
  assert.equal(await last.locator('svg').count(), 1, 'one icon on the failed step');
  assert.equal(await icon.locator('path').getAttribute('d'), iconPath('times-circle'), `the failed icon (${theme})`);
  assert.equal(await icon.evaluate((el) => getComputedStyle(el).color), ERROR_TEXT[theme], `red in the ${theme} theme`);
}

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

    // On the spec's own Grafana (no Loki), in the page the first steps left open: the live list and the job's page,
    // both read from the proxy.
    const jobRow = (id: string) => page.getByTestId(testIds.jobs.row(id)).locator('xpath=ancestor::tr[1]');

    it('Jobs gives the failed job one line of its failure summary, beside the job that succeeded', async () => {
      await page.getByTestId('preview-nav').getByRole('link', { name: 'Jobs' }).click();
      await jobRow(jobId).filter({ hasText: 'Succeeded' }).filter({ hasText: 'exit 0' }).waitFor();
      const summary = `Error (exit 1): ${FAILED_AS_REQUESTED}`;
      // the cell cuts a long summary with an ellipsis; its title has the whole of it
      const outcome = jobRow(failedId).getByTitle(summary, { exact: true });
      await outcome.waitFor();
      assert.equal(await outcome.textContent(), summary);
      assert.equal(await outcome.evaluate(lineCount), 1, 'the summary keeps to one line');
      // off the nav link it clicked, so the screenshot shows no hover
      await page.mouse.move(0, 0);
      await spec.shot(page, 'jobs-outcomes');
    });

    it("the failed job's page starts with why it failed, and its timeline marks the failed step, in both themes", async () => {
      await jobRow(failedId).getByRole('link', { name: failedId, exact: true }).click();
      const failure = page.getByTestId(testIds.jobDetail.failure);
      await failure.waitFor();
      // the proxy's summary for the worker's failure: the container's generic reason and exit code, the message
      // the worker wrote to its termination log, and the log's last ERROR lines (pkg-backend-proxy/src/jobs/failure.ts)
      const { job } = (await (await proxy(`/api/v1/jobs/${failedId}`)).json()) as { job: { failure: JobFailure } };
      const { reason, exitCode, message, lastLogLines } = job.failure;
      assert.deepEqual({ reason, exitCode, message }, { reason: 'Error', exitCode: 1, message: FAILED_AS_REQUESTED });
      assert.ok(
        lastLogLines.at(-1)?.includes(`"level":"ERROR","msg":"${FAILED_AS_REQUESTED}"`),
        `the worker's last line is among them: ${lastLogLines.join('\n')}`
      );
      assert.equal(
        await page
          .getByTestId(testIds.jobDetail.container)
          .evaluate((el) => el.firstElementChild?.getAttribute('data-testid')),
        testIds.jobDetail.failure,
        'the summary comes first'
      );
      const text = await failure.innerText();
      assert.ok(text.includes('Error (exit 1)'), `the reason and exit code: ${text}`);
      assert.ok(text.includes(FAILED_AS_REQUESTED), `the worker's message: ${text}`);
      assert.deepEqual(
        (await failure.getByLabel('Last error lines of the log').innerText()).split('\n'),
        lastLogLines,
        'the last ERROR lines, as the worker wrote them'
      );
      assert.equal(await page.getByTestId(testIds.jobDetail.cancel).count(), 0, 'nothing to cancel on a finished job');

      await expectFailedStep(page, 'dark');
      await page.getByTestId(testIds.jobDetail.logLine).first().waitFor();
      await spec.shot(page, 'job-failed');

      const light = await spec.openAs('Editor', `${APP}/jobs/${failedId}`, { theme: 'light' });
      await expectFailedStep(light, 'light');
      await light.context().close();
    });

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

    // The page's Level variable, by the test id @grafana/scenes gives a variable's label (utils/ControlsLabel.tsx:
    // selectors.pages.Dashboard.SubMenu.submenuItemLabels of @grafana/e2e-selectors)
    const levelPicker = (page: Page) =>
      page.getByTestId('data-testid Dashboard template variables submenu Label Level');
    // Left open through the purge, to see it switch logs without a reload
    let live: Page;
    let liveBoot = '';

    it("with Loki, the page of a job the proxy has shows the proxy's log viewer and Explore, no Level", async () => {
      live = await spec.openAs('Editor', `${APP}/jobs/${jobId}`, { on: grafana });
      await live.getByTestId(testIds.jobDetail.logStream).waitFor();
      await live.getByTestId(testIds.jobDetail.logLine).first().waitFor();
      await live.getByTestId(testIds.jobDetail.explore).waitFor();
      // the Level picker filters only the Loki panel; the viewer has a level filter of its own
      assert.equal(await levelPicker(live).count(), 0, 'no Level picker beside the viewer');
      liveBoot = await bootId(live);
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

    it('the page left open through the purge switches in place to the Loki logs', async () => {
      await live.getByTestId(testIds.history.recorded).waitFor({ timeout: PHASE_TIMEOUT_MS });
      assert.equal(await bootId(live), liveBoot, 'the page was never reloaded');
      // shown with the Loki panel, so the count of 0 above was of a locator that finds it
      await levelPicker(live).waitFor();
      // The preview host cannot draw Grafana's core logs panel (it is not published as a package), so its rows are
      // not checked here: the switch is the viewer gone and the Explore link still there.
      assert.equal(await live.getByTestId(testIds.jobDetail.logStream).count(), 0, "the proxy's viewer is gone");
      assert.ok(await live.getByTestId(testIds.jobDetail.explore).isVisible(), 'Open in Explore stays');
      await live.context().close();
    });

    it("History reads a range of more than one Loki query's lines back to its oldest job", async () => {
      // a busy day in a Loki of its own: 1,800 finished jobs, 5,400 audit lines, and one query returns 5,000; olga
      // launched the oldest and a few later ones
      const busy = new (class extends LokiStore {
        readonly queries: LokiQuery[] = [];
        override queryRange(query: LokiQuery) {
          this.queries.push(query);
          return super.queryRange(query);
        }
      })();
      const start = Date.now() - 20 * 3600_000;
      for (let k = 0; k < 1800; k++) {
        const id = `busy-${String(k).padStart(4, '0')}`;
        const createdAt = new Date(start + k * 10_000).toISOString();
        const base = { audit: true, jobId: id, template: 'basic', params: {}, createdAt };
        const launchedBy = k % 600 === 0 ? 'olga' : 'pat';
        const at = (offsetMs: number) => new Date(start + k * 10_000 + offsetMs).toISOString();
        for (const [event, extra] of [
          ['launched', { time: createdAt }],
          ['started', { time: at(1000), startedAt: at(1000) }],
          ['finished', { time: at(3000), finishedAt: at(3000), phase: 'Succeeded', exitCode: 0, durationSeconds: 2 }],
        ] as const) {
          shipAuditLine(busy, JSON.stringify({ ...base, launchedBy, eventId: `${id}:${event}`, event, ...extra }));
        }
      }
      const uid = 'preview-loki-busy';
      const { proxyUrl, readToken, launchToken } = spec.stack;
      const busyGrafana = await spec.startGrafana({
        settings: { jsonData: { proxyUrl, lokiDatasourceUid: uid }, secureJsonData: { readToken, launchToken } },
        loki: { uid, store: busy },
      });
      try {
        const page = await spec.openAs('Viewer', `${APP}/jobs/history`, { on: busyGrafana, query: { user: 'olga' } });
        const busyRow = (id: string) =>
          page.getByRole('row').filter({ has: page.getByTestId(testIds.history.row(id)) });
        await busyRow('busy-0000').filter({ hasText: 'Succeeded' }).waitFor();
        await page.getByTestId(testIds.history.readingOlder).waitFor({ state: 'detached' });
        const ids = await page
          .getByTestId(/^data-testid history-row-/)
          .evaluateAll((els) =>
            els.map((el) => el.getAttribute('data-testid')!.replace('data-testid history-row-', ''))
          );
        assert.deepEqual(ids, ['busy-1200', 'busy-0600', 'busy-0000'], 'each of olga’s jobs once');
        assert.equal(await page.getByTestId(testIds.history.truncated).count(), 0, 'the range was read whole');
        assert.deepEqual(
          busy.queries.map((q) => q.limit),
          [5000, 5000],
          'the newest 5,000 lines, then the older ones'
        );
        await page.context().close();
      } finally {
        await busyGrafana.stop();
      }
    });
  });
});
