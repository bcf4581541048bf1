import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';
import { card, escalateViaApi, QUEUE, queueLive, SERVER, uniqueTitle } from './helpers.js';

test('pages left for the back-forward cache hold no stream: the seventh visit still goes live, and going back resumes', async () => {
  // A browser of its own: Playwright turns the back-forward cache off by default.
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
  try {
    const context = await browser.newContext();
    // Records how each document was shown: `persisted` means restored from the back-forward cache.
    await context.addInitScript(() =>
      addEventListener('pageshow', (event) => sessionStorage.setItem('rf-shown', String(event.persisted))),
    );
    const page = await context.newPage();
    // Browsers allow six connections per host, and keep the last six pages of a tab in the cache. A
    // page kept with its stream open holds one: without letting go on `freeze`, the seventh visit
    // would wait for a connection until the cache dropped a page.
    for (let visit = 1; visit <= 8; visit++) {
      await page.goto(`${SERVER}/?view=senior&visit=${visit}`, { timeout: 5000 });
      await expect(page.locator(`${QUEUE} [part~="status-live"]`), `visit ${visit}`).toBeVisible({
        timeout: 5000,
      });
    }
    // A page restored from the cache fires no `load`.
    await page.goBack({ waitUntil: 'commit' });
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('rf-shown'))).toBe('true');
    await queueLive(page);
    const title = uniqueTitle('After the back-forward cache');
    await escalateViaApi(page.request, title);
    await expect(card(page, title)).toBeVisible();
  } finally {
    await browser.close();
  }
});
