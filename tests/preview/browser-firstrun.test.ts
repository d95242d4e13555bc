// First run and the launcher panel's Recent jobs, in Chromium on the preview Grafana: with nothing configured every
// page and the panel show "Set up FlowKube" and call nothing, and the way there leads to working pages; and the
// panel lists the jobs launched from it as the proxy records them, in any browser, with a link to all of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testIds } from '../../src/components/testIds.ts';
import { APP, PHASE_TIMEOUT_MS, browserSpec } from './spec.ts';

const PANEL_DASHBOARD = '/d/flowkube-launcher-preview';
// The preview renders its one panel with id 1 (host/PanelPreview.tsx).
const PANEL_ID = '1';
const NAMESPACE = 'flowkube-jobs';

describe('first run and the launcher panel in a real browser (preview harness)', { timeout: 600_000 }, () => {
  const spec = browserSpec({ startDelayMs: 300 });

  it('with nothing configured, every page and the panel show Set up FlowKube, call nothing, and lead to setup', async () => {
    const bare = await spec.startGrafana({ settings: { jsonData: {}, secureJsonData: {} } });
    try {
      for (const pathname of [`${APP}/launch`, `${APP}/jobs`, `${APP}/jobs/basic-bcdfg`, `${APP}/schedules`]) {
        const page = await spec.openAs('Editor', pathname, { on: bare });
        const setup = page.getByTestId(testIds.setup.container);
        await setup.waitFor();
        assert.match(await setup.innerText(), /Set up FlowKube[\s\S]*Enter the proxy URL[\s\S]*read token/, pathname);
        assert.equal(await page.getByTestId(testIds.proxyError.banner).count(), 0, pathname);
        assert.doesNotMatch(await page.locator('body').innerText(), /Invalid URL|answered 500/, pathname);
        if (pathname.endsWith('/jobs')) {
          await spec.shot(page, 'first-run');
        }
        await page.context().close();
      }
      const panelPage = await spec.openAs('Editor', PANEL_DASHBOARD, {
        on: bare,
        query: { options: JSON.stringify({ templateId: 'basic' }) },
      });
      const panel = panelPage.getByTestId(testIds.launcherPanel.container);
      await panel.getByTestId(testIds.setup.container).waitFor();
      assert.equal(await panel.getByTestId(testIds.launcherPanel.launch).count(), 0);
      await panelPage.context().close();
      assert.deepEqual(bare.proxied, [], 'no page or panel called the proxy');

      // an Admin follows the link, saves the settings, and the pages work
      const admin = await spec.openAs('Admin', `${APP}/jobs`, { on: bare });
      await admin.getByTestId(testIds.setup.configLink).click();
      await admin.getByTestId(testIds.appConfig.proxyUrl).fill(spec.stack.proxyUrl);
      await admin.getByTestId(testIds.appConfig.readToken).fill(spec.stack.readToken);
      await admin.getByTestId(testIds.appConfig.launchToken).fill(spec.stack.launchToken);
      await admin.getByTestId(testIds.appConfig.save).click();
      await admin.context().close();
      const editor = await spec.openAs('Editor', `${APP}/launch`, { on: bare });
      await editor.getByTestId(testIds.launch.templateCard('basic')).waitFor();
      assert.equal(await editor.getByTestId(testIds.setup.container).count(), 0);
      await editor.context().close();
    } finally {
      await bare.stop();
    }
  });

  it('the panel shows what it sends, and lists its jobs from the proxy in another browser, with a link to all', async () => {
    const options = {
      templateId: 'basic',
      presetParams: { message: 'from the runbook', sleepSeconds: '0' },
      editableParams: [],
      buttonLabel: 'Run',
      showRecent: 5,
    };
    const dashboard = { options: JSON.stringify(options), title: 'Runbook: basic' };
    const page = await spec.openAs('Editor', PANEL_DASHBOARD, { query: dashboard });
    const panel = page.getByTestId(testIds.launcherPanel.container);
    const values = panel.getByTestId(testIds.launcherPanel.values);
    await values.waitFor();
    assert.match(await values.innerText(), /from the runbook/);
    await panel.getByTestId(testIds.launcherPanel.launch).click();
    const link = panel.getByTestId(testIds.launcherPanel.recentJobs).getByRole('link').first();
    await link.waitFor();
    const id = await link.innerText();
    const pod = spec.stack.fake.pods(NAMESPACE).find((p) => p.metadata?.name === id);
    assert.equal(pod?.metadata?.annotations?.['flowkube.io/source-dashboard'], 'flowkube-launcher-preview');
    assert.equal(pod?.metadata?.annotations?.['flowkube.io/source-panel'], PANEL_ID);
    await page.context().close();

    // another browser (its own storage) sees the same job: the list comes from the proxy
    const other = await spec.openAs('Viewer', PANEL_DASHBOARD, { query: dashboard });
    const otherPanel = other.getByTestId(testIds.launcherPanel.container);
    const recent = otherPanel.getByTestId(testIds.launcherPanel.recentJobs);
    await recent.getByRole('link', { name: id }).waitFor();
    await recent.getByText('Succeeded').waitFor({ timeout: PHASE_TIMEOUT_MS });
    const href = await otherPanel.getByTestId(testIds.launcherPanel.viewAll).getAttribute('href');
    const viewAll = new URL(href!, spec.server.url);
    assert.deepEqual(
      [viewAll.pathname, viewAll.searchParams.get('dashboard'), viewAll.searchParams.get('panel')],
      [`${APP}/jobs`, 'flowkube-launcher-preview', PANEL_ID]
    );
    await other.context().close();

    // a job launched another way must not be listed
    const byHand = await fetch(`${spec.stack.proxyUrl}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${spec.stack.launchToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'basic', params: { sleepSeconds: 0 } }),
    });
    assert.equal(byHand.status, 201);
    const byHandId: string = (await byHand.json()).job.id;
    // the preview boots either a dashboard or the app, so the link is opened as a new page load
    const jobs = await spec.openAs('Viewer', viewAll.pathname, { query: Object.fromEntries(viewAll.searchParams) });
    await jobs.getByTestId(testIds.jobs.row(id)).waitFor();
    assert.equal(await jobs.getByTestId(/jobs-row-/).count(), 1, 'only the jobs launched from this panel');
    assert.equal(await jobs.getByTestId(testIds.jobs.row(byHandId)).count(), 0);
    // the filter the link set is shown, named after the panel, and goes on its own
    const chip = jobs.getByTestId(testIds.jobs.sourceFilter);
    assert.match(await chip.innerText(), /^From .*Runbook: basic.* flowkube-launcher-preview/s);
    await jobs.getByTestId(testIds.jobs.sourceFilterRemove).click();
    await jobs.getByTestId(testIds.jobs.row(byHandId)).waitFor();
    assert.equal(new URL(jobs.url()).searchParams.get('dashboard'), null);
    await jobs.context().close();
  });

  it('the pages threw no uncaught errors', () => assert.deepEqual(spec.pageErrors, []));
});
