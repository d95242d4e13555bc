import { test, expect } from './fixtures.ts';
import { ROUTES } from '../src/constants.ts';
import { testIds } from '../src/components/testIds.ts';

// Needs a real Grafana with the plugin, its provisioning and a proxy (npm run server, Docker); not run by npm test.
test.describe('navigating the app', () => {
  test('Launch shows a card for each default catalog template', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.Launch}`);
    for (const id of ['basic', 'cpu-load', 'log-gen']) {
      await expect(page.getByTestId(testIds.launch.templateCard(id))).toBeVisible();
    }
  });

  test('Jobs renders its table or its empty state', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.Jobs}`);
    await expect(page.getByTestId(testIds.jobs.container)).toBeVisible();
    await expect(page.getByTestId(testIds.jobs.table).or(page.getByTestId(testIds.jobs.empty))).toBeVisible();
  });
});
