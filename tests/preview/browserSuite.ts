// The plugin as `npm run build` ships it, in Debian's Chromium, in front of the real proxy, the fake Kubernetes
// API and the real Python workers (issue 3, "A real browser test that runs here"). Steps share one stack and
// depend on each other in order. Screenshots of every page land in tests/artifacts/screenshots/.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEFAULT_NAMESPACE as NAMESPACE } from '@flowkube/backend-proxy/contract';
import { testIds } from '../../src/components/testIds.ts';
import type { GrafanaLine } from './buildHost.ts';
import type { PreviewServer } from './server.ts';
import { APP, bootId, browserSpec, idFromUrl, PHASE_TIMEOUT_MS } from './spec.ts';

const PANEL_DASHBOARD = '/d/flowkube-launcher-preview';
// As a quick cluster schedules a Pod; where a step must see Pending, it holds the Pod there (holdPodStarts).
const POD_START_DELAY_MS = 300;

export interface SuiteOptions {
  /** Which Grafana's runtime packages the host is built with (buildHost.ts); the plugin bundle is the same. */
  grafana: GrafanaLine;
  /**
   * `main`: the flows every Grafana line must pass; `more`: error paths and stand-in checks, run on 12.4 only. Each
   * set is its own test file, so each gets its own --test-timeout and stack.
   */
  flows: 'main' | 'more';
}

export function browserSuite({ grafana, flows }: SuiteOptions) {
  const screenshots = path.resolve(
    import.meta.dirname,
    grafana === '12' ? '../artifacts/screenshots' : `../artifacts/screenshots/grafana${grafana}`
  );
  /** A step runs in its set of flows; `always` ones (the page-wide checks at the end) in every set. */
  const step = (kind: 'main' | 'more' | 'always', name: string, fn: () => Promise<void> | void) => {
    if (kind === 'always' || kind === flows) {
      it(name, fn);
    }
  };

  describe(
    `the plugin in a real browser on Grafana ${grafana}.x packages, ${flows} flows (preview harness)`,
    { timeout: 600_000 },
    () => {
      // @grafana/i18n's t() warns when it runs before initPluginTranslations (Scenes calls it for its own texts).
      const i18nWarnings: string[] = [];
      const spec = browserSpec({
        grafana,
        startDelayMs: POD_START_DELAY_MS,
        screenshots,
        onPage: (page, role) =>
          page.on('console', (message) => {
            if (/before i18n was initialized/.test(message.text())) {
              i18nWarnings.push(`${role}: ${message.text()}`);
            }
          }),
      });
      /** The spec's openAs, with the theme and the extra query (and another Grafana) as positional arguments. */
      const openAs = (
        role: 'Viewer' | 'Editor' | 'Admin',
        theme: 'dark' | 'light',
        pathname: string,
        query: Record<string, string> = {},
        on?: PreviewServer
      ) => spec.openAs(role, pathname, { theme, query, on });
      // By test id, not role: an open modal hides the rest of the page from the accessibility tree.
      const jobRow = (page: Page, id: string) =>
        page.getByTestId(testIds.jobs.row(id)).locator('xpath=ancestor::tr[1]');
      let editor: Page;
      let cpuJobId = '';
      /** Lets the cpu-load job start: it stays Pending until the Jobs list has shown it so. */
      let releaseCpuJob: () => void = () => undefined;

      step('main', 'Launch flags an out-of-range value inline, then launches cpu-load once corrected', async () => {
        editor = await openAs('Editor', 'dark', `${APP}/launch`);
        await editor.getByTestId(testIds.launch.templateCard('cpu-load')).waitFor();
        await spec.shot(editor, 'launch');

        await editor.getByTestId(testIds.launch.choose('cpu-load')).click();
        const duration = editor.getByTestId(testIds.paramsForm.field('durationSeconds'));
        const submit = editor.getByTestId(testIds.launch.submit);
        await duration.locator('input').fill('99999');
        await duration.getByRole('alert').waitFor();
        assert.match(await duration.getByRole('alert').innerText(), /3600/);
        assert.equal(await submit.isDisabled(), true, 'an invalid form cannot be submitted');
        await spec.shot(editor, 'launch-form-error');

        await duration.locator('input').fill('2');
        await duration.getByRole('alert').waitFor({ state: 'detached' });
        releaseCpuJob = spec.stack.fake.holdPodStarts();
        // A double click is one submission: one Idempotency-Key, so one job, however many requests it makes.
        await submit.dblclick();

        // Launch goes to the new job's detail page and says so in a toast.
        await editor.waitForURL(new RegExp(`${APP}/jobs/[a-z0-9-]+(\\?.*)?$`));
        cpuJobId = idFromUrl(editor);
        // the submit button went with the form: focus is on the new job's facts, not lost on <body>
        await editor.getByTestId(testIds.jobDetail.container).waitFor();
        assert.equal(
          await editor.evaluate(() => document.activeElement?.getAttribute('data-testid')),
          testIds.jobDetail.container
        );
        assert.equal(
          spec.stack.fake.pods(NAMESPACE).find((p) => p.metadata?.name === cpuJobId)?.metadata?.labels?.[
            'flowkube.io/template'
          ],
          'cpu-load'
        );
        await editor.getByTestId('preview-toast-success').filter({ hasText: cpuJobId }).waitFor();
        const launches = spec.server.proxied.filter((r) => r.method === 'POST');
        assert.ok(launches.length >= 1 && launches.every((r) => r.path === 'api/v1/jobs' && r.status < 300));
        assert.equal(new Set(launches.map((r) => r.idempotencyKey)).size, 1, 'one Idempotency-Key per submission');
        assert.ok(launches[0].idempotencyKey, 'launches carry an Idempotency-Key');
        const cpuPods = spec.stack.fake
          .pods(NAMESPACE)
          .filter((p) => p.metadata?.labels?.['flowkube.io/template'] === 'cpu-load');
        assert.deepEqual(
          cpuPods.map((p) => p.metadata?.name),
          [cpuJobId],
          'the double click made one job'
        );
        const pod = spec.stack.fake.pods(NAMESPACE).find((p) => p.metadata?.name === cpuJobId);
        assert.equal(pod?.spec?.containers[0].env?.find((e) => e.name === 'DURATION_SECONDS')?.value, '2');
        assert.equal(pod?.metadata?.annotations?.['flowkube.io/launched-by'], 'editor-user');
      });

      step(
        'main',
        'Launch counts it on its card, whose link lists it alone; Jobs shows it Pending → Running → Succeeded',
        async () => {
          const loadedAs = await bootId(editor);
          // held Pending, it already counts against cpu-load's limit, as admission counts it
          await editor.getByTestId('preview-nav').getByRole('link', { name: 'Launch' }).click();
          const count = editor.getByTestId(testIds.launch.running('cpu-load')).filter({ hasText: '1 of 2 running' });
          await count.waitFor();
          const row = jobRow(editor, cpuJobId);
          try {
            // the count links to exactly the jobs it counts: Jobs' Active filter, which holds this one alone
            await count.getByRole('link', { name: '1 of 2 running' }).click();
            await editor.waitForURL(/[?&]phase=active(&|$)/);
            await row.filter({ hasText: 'Pending' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
            const phases = editor.getByTestId(testIds.jobs.filterPhase);
            assert.ok(await phases.getByRole('radio', { name: 'Active 1', exact: true }).isChecked());
            assert.equal(await editor.locator(`[data-testid^="${testIds.jobs.row('')}"]`).count(), 1);
            await editor.getByTestId('preview-nav').getByRole('link', { name: 'Jobs' }).click();
            await editor.waitForURL((url) => !url.searchParams.has('phase'));
            await row.filter({ hasText: 'Pending' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
          } finally {
            releaseCpuJob();
          }
          for (const phase of ['Running', 'Succeeded']) {
            await row.filter({ hasText: phase }).waitFor({ timeout: PHASE_TIMEOUT_MS });
          }
          assert.equal(await bootId(editor), loadedAs, 'the page was never reloaded');
          assert.equal(
            spec.stack.fake.pods(NAMESPACE).find((p) => p.metadata?.name === cpuJobId)?.status?.phase,
            'Succeeded'
          );
          await spec.shot(editor, 'jobs');
        }
      );

      step(
        'main',
        "its detail page shows the outcome and the worker's log lines from the proxy's log stream",
        async () => {
          const loadedAs = await bootId(editor);
          await jobRow(editor, cpuJobId).getByRole('link', { name: cpuJobId, exact: true }).click();
          await editor.waitForURL(new RegExp(`${APP}/jobs/${cpuJobId}(\\?.*)?$`));
          await editor.getByTestId(testIds.jobDetail.container).filter({ hasText: 'Succeeded' }).waitFor();
          // No Loki is configured here, so the page follows the proxy's log stream: the real worker's lines.
          const logs = editor.getByTestId(testIds.jobDetail.logStream);
          await logs.filter({ hasText: 'cpu load finished' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
          assert.match(await logs.innerText(), /cpu load started/);
          assert.ok(
            spec.server.proxied.some((r) => r.path === `api/v1/jobs/${cpuJobId}/logs` && r.status === 200),
            'the log lines came through the plugin route'
          );
          assert.equal(await bootId(editor), loadedAs, 'the page was never reloaded');
          assert.equal(
            await editor.getByTestId(testIds.jobDetail.cancel).count(),
            0,
            'nothing to cancel once finished'
          );
          await spec.shot(editor, 'job-detail');
        }
      );

      step(
        'more',
        'a second job (basic, sleeping 60 s) is cancelled from Jobs through the confirm dialog',
        async () => {
          const page = await openAs('Editor', 'light', `${APP}/launch`);
          await page.getByTestId(testIds.launch.choose('basic')).click();
          await page.getByTestId(testIds.paramsForm.field('sleepSeconds')).locator('input').fill('60');
          await page.getByTestId(testIds.launch.submit).click();
          await page.waitForURL(new RegExp(`${APP}/jobs/[a-z0-9-]+(\\?.*)?$`));
          const id = idFromUrl(page);

          await page.getByTestId('preview-nav').getByRole('link', { name: 'Jobs' }).click();
          const row = jobRow(page, id);
          await row.filter({ hasText: 'Running' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
          await page.getByTestId(testIds.jobs.cancel(id)).click();
          const dialog = page.getByRole('dialog').filter({ hasText: id });
          await dialog.waitFor();
          // The row keeps updating (its duration ticks) while the dialog is open; the dialog must outlive that.
          const rowBefore = await row.innerText();
          await row.filter({ hasNotText: rowBefore }).waitFor();
          assert.ok(
            await dialog.isVisible(),
            'the confirm dialog closed by itself when the row re-rendered: are the table cells remounted on every update?'
          );
          await spec.shot(page, 'jobs-cancel-confirm');
          await dialog.getByRole('button', { name: 'Cancel job' }).click();

          // The live list shows the outcome: the job stays, as Cancelled (issue 12 §1).
          await row.filter({ hasText: 'Cancelled' }).waitFor({ timeout: PHASE_TIMEOUT_MS });
          assert.deepEqual(
            spec.server.proxied
              .filter((r) => r.method === 'DELETE')
              .map(({ path, role, status }) => ({ path, role, status })),
            [{ path: `api/v1/jobs/${id}`, role: 'Editor', status: 202 }]
          );
          const pod = spec.stack.fake.pods(NAMESPACE).find((p) => p.metadata?.name === id);
          // a running job is stopped by a lowered deadline, not deleted: its Pod (and log) stay until retention
          assert.equal(pod?.spec?.activeDeadlineSeconds, 1, 'the Pod stays, its deadline lowered to 1 s');
          await spec.shot(page, 'jobs-light');
          await page.context().close();
        }
      );

      step('main', 'a Viewer sees the catalog, but launching is disabled with the reason', async () => {
        const viewer = await openAs('Viewer', 'light', `${APP}/launch`);
        await viewer.getByTestId(testIds.launch.templateCard('basic')).waitFor();
        await viewer.getByTestId(testIds.launch.choose('basic')).click();
        const reason = viewer.getByTestId(testIds.launch.permission);
        await reason.waitFor();
        assert.match(await reason.innerText(), /Editor/);
        assert.equal(await viewer.getByTestId(testIds.launch.submit).isDisabled(), true);
        await spec.shot(viewer, 'viewer-launch');
        await viewer.context().close();
      });

      step(
        'main',
        'the configuration page (Admin) shows the saved settings and its connection test passes through the routes',
        async () => {
          const admin = await openAs('Admin', 'dark', '/plugins/flowkube-jobs-app');
          const proxyUrl = admin.getByTestId(testIds.appConfig.proxyUrl);
          await proxyUrl.waitFor();
          assert.equal(await proxyUrl.inputValue(), spec.stack.proxyUrl);
          // Write-only secrets: the page knows they are set, never their values.
          for (const token of [testIds.appConfig.readToken, testIds.appConfig.launchToken]) {
            assert.equal(await admin.getByTestId(token).inputValue(), 'configured');
          }
          await admin.getByTestId(testIds.appConfig.testConnection).click();
          const result = admin.getByTestId(testIds.appConfig.testResult);
          await result.getByText('Connected').waitFor();
          assert.match(await result.innerText(), /3 templates/);
          assert.deepEqual(
            spec.server.proxied.filter((r) => r.role === 'Admin').map((r) => `${r.method} ${r.path} ${r.status}`),
            ['GET healthz 200', 'GET readyz 200', 'GET api/v1/templates 200']
          );
          await spec.shot(admin, 'configuration');
          await admin.context().close();
        }
      );

      step(
        'main',
        'the launcher panel launches log-gen with a dashboard variable in its presets, after its confirmation',
        async () => {
          const options = {
            templateId: 'log-gen',
            presetParams: { tasks: '$tasks', taskIntervalMs: 100 },
            editableParams: [],
            buttonLabel: 'Run log drill',
            confirmMessage: 'Start a log drill with $tasks tasks?',
            showRecent: 5,
          };
          const dashboard = { options: JSON.stringify(options), 'var-tasks': '3', title: 'Runbook: log drill' };
          const page = await openAs('Editor', 'dark', PANEL_DASHBOARD, dashboard);
          const panel = page.getByTestId(testIds.launcherPanel.container);
          await panel.getByTestId(testIds.launcherPanel.launch).click();
          const dialog = page.getByRole('dialog').filter({ hasText: 'Start a log drill with 3 tasks?' });
          await dialog.getByRole('button', { name: 'Run log drill' }).click();

          const recent = panel.getByTestId(testIds.launcherPanel.recentJobs);
          const link = recent.getByRole('link').first();
          await link.waitFor();
          const id = await link.innerText();
          await recent.getByText('Succeeded').waitFor({ timeout: PHASE_TIMEOUT_MS });
          const env =
            spec.stack.fake.pods(NAMESPACE).find((p) => p.metadata?.name === id)?.spec?.containers[0].env ?? [];
          assert.equal(env.find((e) => e.name === 'TASKS')?.value, '3', 'the dashboard variable was interpolated');
          await spec.shot(page, 'launcher-panel');
          await page.context().close();

          const viewer = await openAs('Viewer', 'light', PANEL_DASHBOARD, dashboard);
          const viewerPanel = viewer.getByTestId(testIds.launcherPanel.container);
          await viewerPanel.getByText(/needs the Editor role/).waitFor();
          assert.equal(await viewerPanel.getByTestId(testIds.launcherPanel.launch).isDisabled(), true);
          await spec.shot(viewer, 'launcher-panel-viewer');
          await viewer.context().close();
        }
      );

      step(
        'more',
        'with the proxy unreachable, Jobs shows a banner that says so and links to the configuration page',
        async () => {
          // A port that was just free: nothing listens there, as when the proxy's Service has no endpoints.
          const closed = http.createServer();
          await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
          const { port } = closed.address() as AddressInfo;
          await new Promise((resolve) => closed.close(resolve));
          const broken = await spec.startGrafana({
            settings: {
              jsonData: { proxyUrl: `http://127.0.0.1:${port}` },
              secureJsonData: { readToken: 'r', launchToken: 'l' },
            },
          });
          try {
            const page = await openAs('Editor', 'light', `${APP}/jobs`, {}, broken);
            const banner = page.getByTestId(testIds.proxyError.banner);
            await banner.waitFor();
            await spec.shot(page, 'jobs-proxy-unreachable');
            assert.ok(
              broken.proxied.some((r) => r.status === 502),
              'Grafana answered 502: the proxy could not be reached'
            );
            assert.match(await banner.innerText(), /unreachable[\s\S]*502/i);
            assert.ok(await banner.getByRole('link', { name: /configuration page/i }).isVisible());
            await page.context().close();
          } finally {
            await broken.stop();
          }
        }
      );

      step(
        'more',
        "with send_user_header off (Grafana's default), a launch is recorded as by an unknown user, and shown so",
        async () => {
          const plain = await spec.startGrafana({});
          try {
            const page = await openAs('Editor', 'dark', `${APP}/launch`, {}, plain);
            await page.getByTestId(testIds.launch.choose('basic')).click();
            await page.getByTestId(testIds.paramsForm.field('sleepSeconds')).locator('input').fill('1');
            await page.getByTestId(testIds.launch.submit).click();
            await page.waitForURL(new RegExp(`${APP}/jobs/[a-z0-9-]+(\\?.*)?$`));
            const id = idFromUrl(page);
            const pod = spec.stack.fake.pods(NAMESPACE).find((p) => p.metadata?.name === id);
            assert.equal(pod?.metadata?.annotations?.['flowkube.io/launched-by'], 'unknown (no user header)');
            const detail = page.getByTestId(testIds.jobDetail.container);
            await detail.filter({ hasText: 'launched by unknown (no user header)' }).waitFor();
            await page.context().close();
          } finally {
            await plain.stop();
          }
        }
      );

      step(
        'more',
        "reproduces backendSrv: a 401 from Grafana's origin renews the session, then sends the request once more",
        async () => {
          // An upstream that answers every request 401, as a proxy that took a wrong token for a missing one would.
          const refusing = http.createServer((_req, res) => {
            res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
            res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'no bearer token' } }));
          });
          await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
          const { port } = refusing.address() as AddressInfo;
          const grafana = await spec.startGrafana({
            settings: { jsonData: { proxyUrl: `http://127.0.0.1:${port}` }, secureJsonData: { readToken: 'r' } },
          });
          try {
            const page = await openAs('Admin', 'dark', '/plugins/flowkube-jobs-app', {}, grafana);
            await page.getByTestId(testIds.appConfig.testConnection).click();
            await page.getByTestId(testIds.appConfig.testResult).waitFor();
            const healthz = grafana.proxied.filter((r) => r.path === 'healthz');
            assert.deepEqual(
              healthz.map((r) => r.status),
              [401, 401],
              'the request was sent twice'
            );
            assert.ok(grafana.renewals.some((r) => r.path === '/api/user/auth-tokens/rotate' && r.status === 200));
            await page.context().close();
          } finally {
            await grafana.stop();
            await new Promise((resolve) => refusing.close(resolve));
          }
        }
      );

      step(
        'main',
        'a wrong launch token: ONE launch request (403 token_rejected, no session renewal) and a banner that says which token and where',
        async () => {
          const grafana = await spec.startGrafana({
            settings: {
              jsonData: { proxyUrl: spec.stack.proxyUrl },
              secureJsonData: { readToken: spec.stack.readToken, launchToken: 'not-the-launch-token' },
            },
          });
          try {
            const page = await openAs('Editor', 'light', `${APP}/launch`, {}, grafana);
            await page.getByTestId(testIds.launch.choose('basic')).click();
            await page.getByTestId(testIds.launch.submit).click();
            const banner = page.getByTestId(testIds.proxyError.banner);
            await banner.waitFor();
            await spec.shot(page, 'launch-token-rejected');
            assert.deepEqual(
              grafana.proxied.filter((r) => r.method === 'POST').map((r) => `${r.path} ${r.status}`),
              ['api/v1/jobs 403'],
              'one launch request, not retried'
            );
            assert.deepEqual(grafana.renewals, [], 'no session renewal: a 403 is not an expired session');
            const text = await banner.innerText();
            assert.match(text, /launch token/i);
            assert.match(text, /configuration page/i);
            assert.ok(await banner.getByRole('link', { name: /configuration page/i }).isVisible());
            await page.context().close();
          } finally {
            await grafana.stop();
          }
        }
      );

      step(
        'more',
        'a wrong read token: Jobs says the read token was refused and where to set it, with no session renewal',
        async () => {
          const grafana = await spec.startGrafana({
            settings: {
              jsonData: { proxyUrl: spec.stack.proxyUrl },
              secureJsonData: { readToken: 'not-the-read-token', launchToken: spec.stack.launchToken },
            },
          });
          try {
            const page = await openAs('Viewer', 'dark', `${APP}/jobs`, {}, grafana);
            const banner = page.getByTestId(testIds.proxyError.banner);
            await banner.waitFor();
            await spec.shot(page, 'jobs-token-rejected');
            assert.ok(grafana.proxied.length > 0 && grafana.proxied.every((r) => r.status === 403));
            assert.deepEqual(grafana.renewals, []);
            const text = await banner.innerText();
            assert.match(text, /read token/i);
            assert.match(text, /configuration page/i);
            await page.context().close();
          } finally {
            await grafana.stop();
          }
        }
      );

      step('always', 'the pages threw no uncaught errors', () => {
        assert.deepEqual(spec.pageErrors, []);
      });

      step('always', "Scenes found the plugin's translations initialised: no t() before initPluginTranslations", () => {
        assert.deepEqual(i18nWarnings, []);
      });
    }
  );
}
