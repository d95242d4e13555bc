// Issue 11's catalog in Chromium: a template applied as a ConfigMap (the documented example,
// k8s/examples/catalog-configmap.yaml) appears on the open Launch page without a reload, its card's meta line wraps
// between items and never inside one, and a broken one shows its problem in the configuration page's Catalog
// section for an Admin. ConfigMaps are written through the real client, as `kubectl apply` would. Also issue 12's
// keyboard walk over the cards: every Tab stop is a named link or button (no Card radio named "option"), and Choose
// takes focus on into the form.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { type CatalogStatus, DEFAULT_NAMESPACE } from '@flowkube/backend-proxy/contract';
import { testIds } from '../../src/components/testIds.ts';
import { catalogConfigMap, within } from '../../pkg-backend-proxy/test/catalog/support.ts';
import { APP, bootId, browserSpec, UI_TIMEOUT_MS } from './spec.ts';

const example = parse(
  readFileSync(path.resolve(import.meta.dirname, '../../k8s/examples/catalog-configmap.yaml'), 'utf8')
) as V1ConfigMap;
const exampleTemplate = parse(example.data!['train.yaml']!) as Record<string, unknown>;

describe('the catalog from ConfigMaps in a real browser (preview harness)', { timeout: 600_000 }, () => {
  const spec = browserSpec({ startDelayMs: 300 });

  const proxyGet = async <T>(url: string): Promise<T> => {
    const response = await fetch(`${spec.stack.proxyUrl}${url}`, {
      headers: { authorization: `Bearer ${spec.stack.readToken}` },
    });
    assert.equal(response.status, 200, url);
    return (await response.json()) as T;
  };
  // as `kubectl apply` of a new ConfigMap would, with the fake's own credentials
  const create = (body: V1ConfigMap) => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(spec.stack.fake.kubeConfigOptions());
    return kubeConfig.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: DEFAULT_NAMESPACE, body });
  };

  it('a template applied as a ConfigMap appears on the open Launch page, without a reload', async () => {
    const page = await spec.openAs('Editor', `${APP}/launch`);
    await page.getByTestId(testIds.launch.templateCard('basic')).waitFor();
    const loadedAs = await bootId(page);
    assert.equal(await page.getByTestId(testIds.launch.templateCard('train-model')).count(), 0);

    await create(example);
    const card = page.getByTestId(testIds.launch.templateCard('train-model'));
    await card.waitFor();
    assert.match(await card.innerText(), /Train a model/);
    assert.equal(await bootId(page), loadedAs, 'the page was never reloaded');
    await spec.shot(page, 'launch-from-configmap');

    // Each meta item ("Timeout 4h", "GPU 1", …) stays whole on one line; the line as a whole does wrap, so the
    // check is about wrapping between items and not inside one ("Timeou / t 4h").
    const lines = await card.evaluate((cardEl) => {
      // the meta row: the element around "Timeout …", its items between the "|" separators
      const timeout = Array.from(cardEl.querySelectorAll('span')).find((el) => el.textContent?.startsWith('Timeout '));
      const items = Array.from(timeout?.parentElement?.children ?? []).filter((el) => el.textContent !== '|');
      const edge = cardEl.getBoundingClientRect().right;
      return items.map((el) => {
        const box = el.getBoundingClientRect();
        return {
          text: el.textContent,
          rects: el.getClientRects().length,
          height: box.height,
          lineHeight: parseFloat(getComputedStyle(el).lineHeight),
          top: Math.round(box.top),
          // past the card's edge: the row overflowed instead of wrapping
          overflow: box.right - edge,
        };
      });
    });
    // the example's timeout, size presets, CPU, memory, GPU, node pool and concurrency limit
    assert.ok(lines.length >= 5, `a long meta line: ${lines.map((l) => l.text).join(' | ')}`);
    for (const line of lines) {
      assert.equal(line.rects, 1, `"${line.text}" is shown whole on one line`);
      assert.ok(line.height < line.lineHeight * 1.5, `"${line.text}" is ${line.height}px tall`);
      assert.ok(line.overflow <= 0, `"${line.text}" ends ${line.overflow}px past the card's edge`);
    }
    assert.ok(new Set(lines.map((l) => l.top)).size > 1, 'the meta line wraps onto a second row');
    await page.context().close();
  });

  it('Tab from the page start crosses whole cards to a Choose button, stopping only on named links and buttons', async () => {
    const page = await spec.openAs('Editor', `${APP}/launch`);
    // the catalog's third card, so that the walk crosses two whole cards first
    const choose = page.getByTestId(testIds.launch.choose('log-gen'));
    await choose.waitFor();
    const chooseFocused = () => choose.evaluate((el) => el === document.activeElement);
    const stops: string[] = [];
    // a bound on a walk that never arrives, not on time
    while (stops.length < 40 && !(await chooseFocused())) {
      await page.keyboard.press('Tab');
      // the focused element as the accessibility tree has it: `- role "name" [state]`, then its children
      stops.push((await page.locator(':focus').ariaSnapshot()).split('\n')[0]);
    }
    assert.ok(await chooseFocused(), `Tab reached log-gen's Choose button; it stopped on: ${stops.join(' | ')}`);
    assert.ok(stops.filter((s) => s.startsWith('- button "Choose"')).length >= 3, stops.join(' | '));
    for (const stop of stops) {
      const [, role, name] = /^- (\w+)(?: "(.*?)")?/.exec(stop) ?? [];
      // before any form is open the page has links and buttons only: a radio or a field here belongs to nothing
      assert.ok(role === 'link' || role === 'button', `a stop on "${stop}"`);
      assert.ok(name?.trim(), `a stop without a name: "${stop}"`);
    }

    // Choose by keyboard: focus goes on into the form, to its first field
    await page.keyboard.press('Enter');
    const tasks = page.getByTestId(testIds.paramsForm.field('tasks'));
    await tasks.locator('input:focus').waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await page.locator(':focus').ariaSnapshot(), /^- spinbutton "Tasks/);
    assert.match(await choose.ariaSnapshot(), /^- button "Chosen" \[pressed\]/);
    await page.context().close();
  });

  it('a broken one shows its id, field and message in the Catalog section of the configuration page', async () => {
    const broken = { ...exampleTemplate, id: 'sneaky', hostNetwork: true };
    await create(catalogConfigMap('flowkube-catalog-broken', { 'bad.yaml': stringify(broken) }));
    // the proxy reports it once its watch has seen the ConfigMap; the page is asked only then
    const problem = await within(UI_TIMEOUT_MS, 'the proxy reporting "sneaky"', async () => {
      const status = await proxyGet<CatalogStatus>('/api/v1/catalog');
      const source = status.sources.find((s) => s.name === 'flowkube-catalog-broken');
      return source?.templates.find((t) => t.id === 'sneaky' && !t.ok)?.problems[0];
    });
    assert.equal(problem.field, 'hostNetwork');

    const admin = await spec.openAs('Admin', '/plugins/flowkube-jobs-app');
    const section = admin.getByTestId(testIds.appConfig.catalog);
    await section.getByTestId(testIds.appConfig.catalogRefresh).click();
    await section.getByText('ConfigMap flowkube-catalog-broken: 0 ready, 1 with problems').waitFor();
    const alert = section.getByRole('alert', { name: 'sneaky (bad.yaml)' });
    await alert.waitFor();
    assert.equal(await alert.locator('code').innerText(), 'hostNetwork');
    assert.ok((await alert.innerText()).includes(problem.message), problem.message);
    // the good one is listed as ready in its own source, and not launchable means not on Launch either
    await section.getByText('ConfigMap flowkube-catalog-ml: 1 ready').waitFor();
    await spec.shot(admin, 'configuration-catalog');
    await admin.context().close();

    const editor = await spec.openAs('Editor', `${APP}/launch`);
    await editor.getByTestId(testIds.launch.templateCard('train-model')).waitFor();
    assert.equal(await editor.getByTestId(testIds.launch.templateCard('sneaky')).count(), 0);
    await editor.context().close();
  });

  it('the pages threw no uncaught errors', () => {
    assert.deepEqual(spec.pageErrors, []);
  });
});
