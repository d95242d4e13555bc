// Issue 10's browser flows, on their own stack and within their own --test-timeout: a schedule is created from the
// Launch page, listed on Schedules with its next run, run now and fired by the (fake) CronJob controller, its runs
// appear live on Jobs, it is suspended, and a Viewer cannot change it. Same harness as browserSuite.ts: the plugin
// as `npm run build` ships it, in Chromium, in front of the real proxy and the fake Kubernetes API's batch controllers.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testIds } from '../../src/components/testIds.ts';
import { buildHost } from './buildHost.ts';
import { ensurePluginBuilt, pluginDistDir } from './buildPlugin.ts';
import { startPreviewServer, type PreviewServer } from './server.ts';
import { startStack, type Stack } from './stack.ts';

const APP = '/a/flowkube-jobs-app';
const NAMESPACE = 'flowkube-jobs';
// Generous: these bound waiting, they assert nothing about speed.
const PHASE_TIMEOUT_MS = 60_000;
const UI_TIMEOUT_MS = 30_000;
const NAVIGATION_TIMEOUT_MS = 120_000;
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const screenshots = path.resolve(import.meta.dirname, '../artifacts/screenshots');

describe('schedules in a real browser (preview harness)', { timeout: 600_000 }, () => {
  let stack: Stack | undefined;
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const hostDir = mkdtempSync(path.join(os.tmpdir(), 'flowkube-preview-host-'));
  let editor: Page;
  let scheduleId = '';

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    await Promise.all([ensurePluginBuilt(), buildHost(hostDir, '12')]);
    stack = await startStack({ startDelayMs: 1000 });
    server = await startPreviewServer({
      pluginDir: pluginDistDir,
      hostDir,
      settings: {
        jsonData: { proxyUrl: stack.proxyUrl },
        secureJsonData: { readToken: stack.readToken, launchToken: stack.launchToken },
      },
      sendUserHeader: true,
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    rmSync(hostDir, { recursive: true, force: true });
  });

  async function openAs(role: 'Viewer' | 'Editor', pathname: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(`${role}: ${err.message}`));
    const query = new URLSearchParams({ role, login: `${role.toLowerCase()}-user`, theme: 'dark' });
    await page.goto(`${server!.url}${pathname}?${query}`);
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({
      path: path.join(screenshots, `${name}.png`),
      fullPage: true,
      style: '[data-testid^="preview-toast-"] { visibility: hidden; }',
    });
  const cronJob = () => stack!.fake.cronJobs(NAMESPACE).find((c) => c.metadata?.name === scheduleId);
  const lastPart = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

  it('creates a schedule from a template card on Launch, the cron described and previewed as typed', async () => {
    editor = await openAs('Editor', `${APP}/launch`);
    await editor.getByTestId(testIds.launch.schedule('basic')).click();
    const form = editor.getByTestId(testIds.scheduleForm.container);
    // the browser's zone is the default (the context runs in Europe/Berlin)
    assert.equal(await form.getByTestId(testIds.scheduleForm.timeZone).inputValue(), 'Europe/Berlin');

    const cron = form.getByTestId(testIds.scheduleForm.cron);
    await cron.fill('0 0 30 2 *');
    await form.getByText(/never fires/).waitFor();
    assert.equal(await form.getByTestId(testIds.scheduleForm.submit).isDisabled(), true);

    await cron.fill('30 4 * * 1');
    await form
      .getByTestId(testIds.scheduleForm.description)
      .filter({ hasText: 'At 04:30 AM, only on Monday' })
      .waitFor();
    assert.equal(await form.getByTestId(testIds.scheduleForm.nextRuns).locator('li').count(), 3);
    await shot(editor, 'schedule-form');

    await form.getByTestId(testIds.scheduleForm.submit).click();
    await editor.waitForURL(new RegExp(`${APP}/schedules/[a-z0-9-]+(\\?.*)?$`));
    scheduleId = lastPart(editor);
    const created = server!.proxied.filter((r) => r.method === 'POST' && r.path === 'api/v1/schedules');
    assert.equal(created.length, 1);
    assert.ok(created[0]?.idempotencyKey, 'the create carried an Idempotency-Key');
    assert.equal(cronJob()?.spec?.schedule, '30 4 * * 1');
    assert.equal(cronJob()?.spec?.timeZone, 'Europe/Berlin');
  });

  it('lists it on Schedules with the cron, its description and the next run', async () => {
    await editor.getByTestId('preview-nav').getByRole('link', { name: 'Schedules' }).click();
    const row = editor.getByTestId(testIds.schedules.row(scheduleId)).locator('xpath=ancestor::tr[1]');
    await row.waitFor();
    assert.match(await row.innerText(), /30 4 \* \* 1/);
    assert.match(await row.innerText(), /At 04:30 AM, only on Monday/);
    // a Monday at 04:30 in the schedule's zone, which is the viewer's too
    assert.match(await editor.getByTestId(testIds.schedules.nextRun(scheduleId)).innerText(), /^Mon, .* 04:30/);
    await shot(editor, 'schedules');
  });

  it('runs it now, and a run the controller fires appears live on Jobs with its schedule', async () => {
    await editor.getByTestId(testIds.schedules.runNow(scheduleId)).click();
    await editor.waitForURL(new RegExp(`${APP}/jobs/[a-z0-9-]+(\\?.*)?$`));
    const manual = lastPart(editor);
    await editor.getByTestId(testIds.jobDetail.schedule).waitFor();

    await editor.getByTestId('preview-nav').getByRole('link', { name: 'Jobs' }).click();
    const jobRow = (id: string) => editor.getByTestId(testIds.jobs.row(id)).locator('xpath=ancestor::tr[1]');
    await jobRow(manual).filter({ hasText: scheduleId }).waitFor({ timeout: PHASE_TIMEOUT_MS });

    // Forbid: the controller starts no run while one is active, so let the manual run finish first
    await jobRow(manual).filter({ hasText: 'Succeeded' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
    // the cron fires while Jobs is open: its run (a Pod of the Job the controller made) shows up without a reload
    const fired = stack!.fake.fireNow(scheduleId, NAMESPACE);
    assert.ok(fired?.metadata?.name, 'the controller started a Job');
    await editor
      .locator(`[data-testid^="${testIds.jobs.row(fired.metadata.name)}"]`)
      .first()
      .waitFor({ timeout: PHASE_TIMEOUT_MS });
    await shot(editor, 'jobs-schedule-runs');
  });

  it('suspends it with the switch: no next run, and the CronJob is suspended', async () => {
    await editor.getByTestId('preview-nav').getByRole('link', { name: 'Schedules' }).click();
    await editor.getByTestId(testIds.schedules.suspend(scheduleId)).click({ force: true });
    await editor.getByTestId(testIds.schedules.nextRun(scheduleId)).filter({ hasText: 'Suspended' }).waitFor();
    assert.equal(cronJob()?.spec?.suspend, true);
    assert.ok(server!.proxied.some((r) => r.method === 'PATCH' && r.path === `api/v1/schedules/${scheduleId}`));
  });

  it('shows a Viewer everything and lets them change nothing, saying why', async () => {
    const viewer = await openAs('Viewer', `${APP}/schedules`);
    await viewer.getByTestId(testIds.schedules.row(scheduleId)).waitFor();
    assert.match(await viewer.getByTestId(testIds.schedules.permission).innerText(), /needs the Editor role/);
    assert.equal(await viewer.getByTestId(testIds.schedules.suspend(scheduleId)).isDisabled(), true);
    for (const control of [testIds.schedules.runNow, testIds.schedules.edit, testIds.schedules.delete]) {
      // with a tooltip (the reason), Grafana's Button is aria-disabled and ignores clicks
      assert.equal(await viewer.getByTestId(control(scheduleId)).getAttribute('aria-disabled'), 'true');
    }
    await shot(viewer, 'viewer-schedules');
    await viewer.context().close();
    assert.ok(!server!.proxied.some((r) => r.role === 'Viewer' && r.method !== 'GET'), 'the Viewer sent no change');
  });

  it('the pages threw no uncaught errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
