// Issue 10's browser flows, on their own stack and within their own --test-timeout: a schedule is created from the
// Launch page, listed on Schedules with its next run, run now and fired by the (fake) CronJob controller, its runs
// appear live on Jobs, it is suspended, and a Viewer cannot change it. The shared harness (spec.ts): the plugin as
// `npm run build` ships it, in Chromium, in front of the real proxy and the fake Kubernetes API's batch controllers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEFAULT_NAMESPACE as NAMESPACE } from '@flowkube/backend-proxy/contract';
import { testIds } from '../../src/components/testIds.ts';
import { APP, browserSpec, idFromUrl, PHASE_TIMEOUT_MS } from './spec.ts';

describe('schedules in a real browser (preview harness)', { timeout: 600_000 }, () => {
  const spec = browserSpec({ startDelayMs: 1000 });
  let editor: Page;
  let scheduleId = '';

  const openAs = (role: 'Viewer' | 'Editor', pathname: string) =>
    spec.openAs(role, pathname, { context: { timezoneId: 'Europe/Berlin' } });
  const cronJob = () => spec.stack.fake.cronJobs(NAMESPACE).find((c) => c.metadata?.name === scheduleId);

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
    await spec.shot(editor, 'schedule-form');

    await form.getByTestId(testIds.scheduleForm.submit).click();
    await editor.waitForURL(new RegExp(`${APP}/schedules/[a-z0-9-]+(\\?.*)?$`));
    scheduleId = idFromUrl(editor);
    const created = spec.server.proxied.filter((r) => r.method === 'POST' && r.path === 'api/v1/schedules');
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
    await spec.shot(editor, 'schedules');
  });

  it('runs it now, and a run the controller fires appears live on Jobs with its schedule', async () => {
    await editor.getByTestId(testIds.schedules.runNow(scheduleId)).click();
    await editor.waitForURL(new RegExp(`${APP}/jobs/[a-z0-9-]+(\\?.*)?$`));
    const manual = idFromUrl(editor);
    await editor.getByTestId(testIds.jobDetail.schedule).waitFor();

    await editor.getByTestId('preview-nav').getByRole('link', { name: 'Jobs' }).click();
    const jobRow = (id: string) => editor.getByTestId(testIds.jobs.row(id)).locator('xpath=ancestor::tr[1]');
    await jobRow(manual).filter({ hasText: scheduleId }).waitFor({ timeout: PHASE_TIMEOUT_MS });

    // Forbid: the controller starts no run while one is active, so let the manual run finish first
    await jobRow(manual).filter({ hasText: 'Succeeded' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
    // the cron fires while Jobs is open: its run (a Pod of the Job the controller made) shows up without a reload
    const fired = spec.stack.fake.fireNow(scheduleId, NAMESPACE);
    assert.ok(fired?.metadata?.name, 'the controller started a Job');
    await editor
      .locator(`[data-testid^="${testIds.jobs.row(fired.metadata.name)}"]`)
      .first()
      .waitFor({ timeout: PHASE_TIMEOUT_MS });
    await spec.shot(editor, 'jobs-schedule-runs');
  });

  it('suspends it with the switch: no next run, and the CronJob is suspended', async () => {
    await editor.getByTestId('preview-nav').getByRole('link', { name: 'Schedules' }).click();
    await editor.getByTestId(testIds.schedules.suspend(scheduleId)).click({ force: true });
    await editor.getByTestId(testIds.schedules.nextRun(scheduleId)).filter({ hasText: 'Suspended' }).waitFor();
    assert.equal(cronJob()?.spec?.suspend, true);
    assert.ok(spec.server.proxied.some((r) => r.method === 'PATCH' && r.path === `api/v1/schedules/${scheduleId}`));
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
    await spec.shot(viewer, 'viewer-schedules');
    await viewer.context().close();
    assert.ok(!spec.server.proxied.some((r) => r.role === 'Viewer' && r.method !== 'GET'), 'the Viewer sent no change');
  });

  it('the pages threw no uncaught errors', () => {
    assert.deepEqual(spec.pageErrors, []);
  });
});
