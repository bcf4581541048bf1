/* global document -- the function passed to page.waitForFunction runs in the page. */
// Headless Chromium for the browser benchmarks: Debian's Chromium through playwright-core
// (never `npx playwright install`), a fresh profile each launch, loopback only.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROME_ARGS = CHROMIUM_ARGS;

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROME_ARGS,
  });
}

/** Fails early, with the fix, when the server or the widget has not been built. */
export function assertBuilt() {
  for (const file of ['packages/server/dist/cli.js', 'packages/widget/dist/resolutionflow.js']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

/** Opens the demo page's senior view and waits until its queue has loaded and its stream is live. */
export async function openLiveQueue(page, url) {
  await page.goto(`${url}/?view=senior`);
  await page.waitForFunction(
    () => {
      const root = document.querySelector('escalation-queue')?.shadowRoot;
      return Boolean(
        root?.querySelector('.status.live') && root.querySelector('ul[part~="list"], [part~="empty"]'),
      );
    },
    null,
    { timeout: 20_000 },
  );
}
