import { test, expect } from './fixtures.ts';

// Needs a real Grafana with the plugin (npm run server, Docker); not run by npm test.
test('should be possible to save app configuration', async ({ appConfigPage, page }) => {
  const saveButton = page.getByRole('button', { name: /Save settings/i });

  await page.getByRole('textbox', { name: /Proxy URL/ }).fill('http://proxy:8080');
  // Provisioning may have set the tokens already: reset them so the form needs new ones.
  for (const reset of await page.getByRole('button', { name: /reset/i }).all()) {
    await reset.click();
  }
  await page.getByRole('textbox', { name: /Read token/ }).fill('read-token');
  await page.getByRole('textbox', { name: /Launch token/ }).fill('launch-token');

  const saveResponse = appConfigPage.waitForSettingsResponse();
  await saveButton.click();
  await expect(saveResponse).toBeOK();
});
