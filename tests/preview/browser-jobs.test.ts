// Issue 12 §5 in a real browser: the Jobs list over ~110 jobs in mixed phases, as the proxy pages, counts and
// sorts them. Layout is measured, not looked at: at 1024, 1400 and 1920 px every job id, date and action button keeps
// one line inside the viewport and inside every clipping ancestor, and the page has no horizontal scroll. Then the
// per-phase counts against the fake API's Pods, a walk through every page with the cursors, and a bulk cancel.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { testIds } from '../../src/components/testIds.ts';
import { APP, browserSpec, PHASE_TIMEOUT_MS } from './spec.ts';
import { seedJobList } from './seedJobList.ts';
import { JOBS_TABLE, measureLayout } from './layoutProblems.ts';

const NAMESPACE = 'flowkube-jobs';
const PAGE_SIZE = 25;

describe('the Jobs list in a real browser (preview harness)', { timeout: 600_000 }, () => {
  const spec = browserSpec({ startDelayMs: 300 });
  let seeded: string[] = [];
  // one Editor page for every step: a page load costs tens of seconds on a loaded 2-core machine
  let editor: Page;
  const asked: URLSearchParams[] = [];

  before(() => {
    seeded = seedJobList(spec.stack.fake, NAMESPACE);
  });

  const rowIds = (page: Page) =>
    page.$$eval('[data-testid^="data-testid jobs-row-"]', (els) => els.map((el) => el.textContent ?? ''));
  const podPhases = () => {
    const tally: Record<string, number> = {};
    for (const pod of spec.stack.fake.pods(NAMESPACE)) {
      const phase = pod.metadata?.labels?.['flowkube.io/cancelled'] ? 'Cancelled' : (pod.status?.phase ?? 'Unknown');
      tally[phase] = (tally[phase] ?? 0) + 1;
    }
    return tally;
  };
  /** Pods Pending or Running that no one asked to stop (no cancel mark, no deletion): what the launch limits count. */
  const activePods = () =>
    spec.stack.fake
      .pods(NAMESPACE)
      .filter(
        (pod) =>
          ['Pending', 'Running'].includes(pod.status?.phase ?? '') &&
          !pod.metadata?.annotations?.['flowkube.io/cancelled-by'] &&
          !pod.metadata?.deletionTimestamp
      ).length;

  for (const width of [1024, 1400, 1920]) {
    it(`at ${width} px, ids, dates and actions keep one line, unclipped, with no horizontal scroll`, async () => {
      if (!editor) {
        editor = await spec.openAs('Editor', `${APP}/jobs`, { context: { viewport: { width, height: 900 } } });
        editor.on('request', (request) => {
          const url = new URL(request.url());
          if (url.pathname.endsWith('/api/v1/jobs')) {
            asked.push(url.searchParams);
          }
        });
      } else {
        await editor.setViewportSize({ width, height: 900 });
      }
      await editor.getByTestId(testIds.jobs.row(seeded[0])).waitFor();
      const report = await measureLayout(editor, JOBS_TABLE);
      assert.deepEqual(report.problems, [], `layout at ${width} px (columns: ${report.columns})`);
      // the measurement looked at every row of the page, not at an empty table
      assert.equal(report.rows, PAGE_SIZE);
      assert.ok(report.buttons >= PAGE_SIZE, `${report.buttons} action buttons measured`);
      if (width === 1024) {
        assert.notEqual(report.columns, 'wide', 'secondary columns collapse into the row detail at 1024 px');
        // what a collapsed column held is one click away, in the row's detail
        await editor.getByRole('button', { name: 'Toggle row expanded' }).first().click();
        await editor.getByText('Launched by').first().waitFor();
        await editor.getByRole('button', { name: 'Toggle row expanded' }).first().click();
      }
      if (width === 1920) {
        assert.equal(report.columns, 'wide');
      }
      if (width === 1400) {
        await spec.shot(editor, 'jobs-list');
      }
    });
  }

  it('shows per-phase and active counts that match the Pods in the fake API', async () => {
    await editor.setViewportSize({ width: 1400, height: 900 });
    const tally = podPhases();
    const total = Object.values(tally).reduce((a, b) => a + b, 0);
    const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled'];
    const expected = [`All ${total}`, `Active ${activePods()}`, ...phases.map((p) => `${p} ${tally[p] ?? 0}`)];
    const labels = editor.getByTestId(testIds.jobs.filterPhase).locator('label');
    await labels.first().filter({ hasText: expected[0] }).waitFor();
    assert.deepEqual(
      (await labels.allInnerTexts()).map((l) => l.trim()),
      expected
    );
  });

  it('walks every page with the cursors, each job once, and back again', async () => {
    const pages: string[][] = [];
    for (;;) {
      pages.push(await rowIds(editor));
      const next = editor.getByTestId(testIds.jobs.next);
      if (await next.isDisabled()) {
        break;
      }
      const first = pages.at(-1)![0];
      await next.click();
      await editor.getByTestId(testIds.jobs.row(first)).waitFor({ state: 'detached' });
    }
    const walked = pages.flat();
    assert.equal(pages.length, Math.ceil(seeded.length / PAGE_SIZE));
    assert.equal(new Set(walked).size, walked.length, 'no job twice');
    assert.deepEqual([...walked].sort(), [...seeded].sort(), 'every job once');
    const cursors = new Set(asked.map((q) => q.get('continue')).filter((c) => c !== null));
    assert.equal(cursors.size, pages.length - 1, 'each page after the first was asked with its own continue cursor');

    await editor.getByTestId(testIds.jobs.previous).click();
    await editor.getByTestId(testIds.jobs.row(pages.at(-2)![0])).waitFor();
    assert.deepEqual(await rowIds(editor), pages.at(-2));
  });

  it('cancels the selected jobs after one confirmation naming the count; each stays listed as Cancelled', async () => {
    const running = spec.stack.fake
      .pods(NAMESPACE)
      .filter((p) => p.metadata?.labels?.['flowkube.io/template'] === 'cpu-load' && p.status?.phase === 'Running')
      .map((p) => p.metadata!.name!);
    await editor.getByPlaceholder(/Search id/).fill('cpu-load');
    await editor.getByTestId(testIds.jobs.row(running[0])).waitFor();
    await editor.getByTestId(testIds.jobs.selectAll).locator('..').click();
    const bulk = editor.getByTestId(testIds.jobs.bulkCancel);
    await bulk.filter({ hasText: `Cancel ${running.length} jobs` }).waitFor();
    await bulk.click();
    const dialog = editor.getByRole('dialog').filter({ hasText: `Cancel ${running.length} jobs?` });
    await dialog.waitFor();
    await spec.shot(editor, 'jobs-bulk-cancel');
    await dialog.getByRole('button', { name: `Cancel ${running.length} jobs` }).click();

    for (const id of running) {
      const row = editor.getByTestId(testIds.jobs.row(id)).locator('xpath=ancestor::tr[1]');
      await row.filter({ hasText: 'Cancelled' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
    }
    const deletes = spec.server.proxied.filter((r) => r.method === 'DELETE');
    assert.deepEqual(deletes.map((r) => r.path).sort(), running.map((id) => `api/v1/jobs/${id}`).sort());
    assert.ok(deletes.every((r) => r.status === 202 && r.role === 'Editor'));
    await editor.getByTestId('preview-toast-success').first().waitFor();
  });

  it('shows a Viewer no checkboxes and no Cancel', async () => {
    const viewer = await spec.openAs('Viewer', `${APP}/jobs`);
    await viewer.getByTestId(testIds.jobs.row(seeded[0])).waitFor();
    assert.equal(await viewer.getByTestId(testIds.jobs.selectAll).count(), 0);
    assert.equal(await viewer.locator('[data-testid^="data-testid jobs-select-"]').count(), 0);
    assert.equal(await viewer.locator('[data-testid^="data-testid jobs-cancel-"]').count(), 0);
    await viewer.context().close();
  });

  it('the pages threw no uncaught errors', () => {
    assert.deepEqual(spec.pageErrors, []);
  });
});
