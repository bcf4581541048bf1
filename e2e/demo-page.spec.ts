import { expect, test } from '@playwright/test';
import { queueLive, SERVER } from './helpers.js';

// The README's screenshot is made by this run (first, on fresh demo data), so it always shows the product as it is.
test('the demo page renders all three personas (README screenshot)', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(SERVER);
  await queueLive(page);
  await expect(page.locator('escalation-metrics [part~="figure"]').first()).toBeVisible();
  await page.screenshot({ path: 'docs/images/demo.png' });
});
