// The one set-up every browser spec in tests/preview/ shares: the stack (real proxy on the fake Kubernetes API), the
// preview Grafana in front of it, Chromium, pages opened as a signed-in role, screenshots, and the teardown.
//
// A new browser spec is a `browser-<topic>.test.ts` file (so `npm run test:preview` runs it, in its own process and
// within its own --test-timeout) shaped like this:
//
//   describe('<topic> in a real browser (preview harness)', { timeout: 600_000 }, () => {
//     const spec = browserSpec({ startDelayMs: 300 });
//     it('does the thing', async () => {
//       const page = await spec.openAs('Editor', `${APP}/launch`);
//       await page.getByTestId(testIds.launch.templateCard('basic')).waitFor();
//       spec.stack.fake; // drive the fake Kubernetes API directly (apply objects, fire CronJobs, …)
//     });
//     it('the pages threw no uncaught errors', () => assert.deepEqual(spec.pageErrors, []));
//   });
//
// Wait for what the page shows (`locator.waitFor()`, `page.waitForFunction`) with the timeouts below, never a fixed
// sleep: they bound waiting on a loaded 2-core machine and assert nothing about speed.
// To see a job in Pending, hold its Pod there (`spec.stack.fake.holdPodStarts()`, release once seen) rather than
// giving every Pod a long startDelayMs. A page load costs ~2 s of CPU: move within a page where a fresh one proves
// nothing more.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { hostForTests, type GrafanaLine } from './buildHost.ts';
import { ensurePluginBuilt, pluginDistDir } from './buildPlugin.ts';
import { startPreviewServer, type PreviewServer, type PreviewServerOptions } from './server.ts';
import { startStack, type Stack } from './stack.ts';

export const APP = '/a/flowkube-jobs-app';
export const PHASE_TIMEOUT_MS = 60_000;
export const UI_TIMEOUT_MS = 30_000;
// The host bundle is ~11 MB unminified; its first load on a busy machine is slow.
export const NAVIGATION_TIMEOUT_MS = 120_000;

// The flags TOOLCHAIN.md lists for Debian's Chromium here: headless, no sandbox, and nothing that calls home.
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type Role = 'Viewer' | 'Editor' | 'Admin';

export interface SpecOptions {
  /** How long a worker Pod stays Pending (startStack). */
  startDelayMs: number;
  /** Which Grafana's runtime packages the host is built with (buildHost.ts); the plugin bundle is the same. */
  grafana?: GrafanaLine;
  /** Where `shot()` writes; tests/artifacts/screenshots/ by default. */
  screenshots?: string;
  /** Called on every page `openAs` opens, before it navigates, e.g. to collect console messages. */
  onPage?: (page: Page, role: Role) => void;
}

export interface OpenOptions {
  theme?: 'dark' | 'light';
  /** More query parameters (dashboard options and variables, …). */
  query?: Record<string, string>;
  /** Another preview Grafana (from `startGrafana`) instead of the spec's own. */
  on?: PreviewServer;
  /** Browser context options on top of the 1400×900 viewport (a time zone, …). */
  context?: BrowserContextOptions;
}

export interface BrowserSpec {
  readonly stack: Stack;
  /** The preview Grafana, with `send_user_header` on. */
  readonly server: PreviewServer;
  readonly browser: Browser;
  /** Uncaught errors of every page `openAs` opened, as `role: message`. */
  readonly pageErrors: string[];
  /** A fresh browser context (own cookies, so own Grafana session) signed in as `role`, at `pathname`. */
  openAs(role: Role, pathname: string, options?: OpenOptions): Promise<Page>;
  /** A second preview Grafana in front of the same stack, with other settings; the caller stops it. */
  startGrafana(overrides?: Partial<PreviewServerOptions>): Promise<PreviewServer>;
  /** A full-page screenshot `<name>.png`, without the preview's toasts (Grafana's own fade after a few seconds). */
  shot(page: Page, name: string): Promise<void>;
}

/** The last path segment of the page's URL: the id of the job or schedule a page shows. */
export const idFromUrl = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

/** The id the preview host draws once per page load: unchanged means the page was never reloaded. */
export const bootId = (page: Page) =>
  page.evaluate(() => (window as unknown as { __previewBootId: string }).__previewBootId);

/**
 * Registers `before` and `after` hooks in the enclosing `describe` that start and stop everything; the returned
 * object's fields are usable inside its tests.
 */
export function browserSpec(options: SpecOptions): BrowserSpec {
  const grafana = options.grafana ?? '12';
  const screenshots = options.screenshots ?? path.resolve(import.meta.dirname, '../artifacts/screenshots');
  const pageErrors: string[] = [];
  let host: { dir: string; release(): void } | undefined;
  let stack: Stack | undefined;
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) {
      throw new Error(`browserSpec: ${name} is used before the spec's before() hook started it`);
    }
    return value;
  };

  const startGrafana = (overrides: Partial<PreviewServerOptions> = {}) => {
    const { proxyUrl, readToken, launchToken } = started(stack, 'stack');
    return startPreviewServer({
      pluginDir: pluginDistDir,
      hostDir: started(host, 'host').dir,
      settings: { jsonData: { proxyUrl }, secureJsonData: { readToken, launchToken } },
      ...overrides,
    });
  };

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    await Promise.all([hostForTests(grafana).then((built) => (host = built)), ensurePluginBuilt()]);
    stack = await startStack({ startDelayMs: options.startDelayMs });
    // The setting that makes Grafana name the user to the proxy; specs check what happens without it on their own.
    server = await startGrafana({ sendUserHeader: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    host?.release();
  });

  return {
    get stack() {
      return started(stack, 'stack');
    },
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    pageErrors,
    startGrafana,
    async openAs(role, pathname, { theme = 'dark', query = {}, on, context = {} } = {}) {
      const browserContext = await started(browser, 'browser').newContext({
        viewport: { width: 1400, height: 900 },
        ...context,
      });
      const page = await browserContext.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      page.on('pageerror', (err) => pageErrors.push(`${role}: ${err.message}`));
      options.onPage?.(page, role);
      const search = new URLSearchParams({ role, login: `${role.toLowerCase()}-user`, theme, ...query });
      await page.goto(`${(on ?? started(server, 'server')).url}${pathname}?${search}`);
      return page;
    },
    async shot(page, name) {
      await page.screenshot({
        path: path.join(screenshots, `${name}.png`),
        fullPage: true,
        style: '[data-testid^="preview-toast-"] { visibility: hidden; }',
      });
    },
  };
}
