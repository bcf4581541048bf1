/* global document, window, requestAnimationFrame -- functions passed to page.evaluate and page.waitForFunction run in the page. */
// The harness of the browser benchmarks: headless Chromium through playwright-core (the one the
// tests find, never `npx playwright install`), a fresh profile each launch, loopback only; the
// demo server beside it; pages in fresh contexts with the wait harness (page-watch.mjs) installed;
// and the sampling scheme that alternates the widget with its raw baseline.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.mjs';
import { apiAs, demoToken, startDemoServer } from './demo.mjs';
import { installWatch } from './page-watch.mjs';
import { pace } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
  });
}

/** Fails early, with the fix, when the server or the widget has not been built. */
export function assertBuilt() {
  for (const file of ['packages/server/dist/cli.js', 'packages/widget/dist/resolutionflow.js']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

/**
 * Starts the demo server (with `env`) and Chromium, runs `run({ server, browser, alex })` (alex:
 * an API client as the demo technician), and stops both whatever happens.
 */
export async function withDemoBrowser(env, run) {
  assertBuilt();
  const server = await startDemoServer(env);
  const browser = await launchBrowser();
  try {
    const alex = apiAs(server.url, await demoToken(server.url, 'alex'));
    return await run({ server, browser, alex });
  } finally {
    await browser.close();
    await server.stop();
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

/**
 * A page in a fresh browser context, with `window.__rfWatch` installed: for 'widget' the demo
 * page's live queue, for 'raw' the document `html` on the server's origin (so its fetch() calls
 * are same-origin).
 */
export async function openBenchPage(browser, url, kind, html) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (kind === 'widget') {
    await openLiveQueue(page, url);
  } else {
    await page.goto(`${url}/healthz`);
    await page.setContent(html);
  }
  await page.evaluate(installWatch);
  return { page, close: () => context.close() };
}

/** Fetches a demo persona's embed token in the page, into `window[key]`. */
export function tokenInPage(page, persona, key) {
  return page.evaluate(
    async ([persona, key]) => {
      const response = await fetch(`/demo/token?persona=${persona}`);
      window[key] = (await response.json()).token;
    },
    [persona, key],
  );
}

/** Resolves after the page has run two animation frames: whatever was pending has painted. */
export function twoFrames(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * The sampling scheme of the page comparisons: `count` samples of each kind, in blocks of `block`
 * that alternate 'raw' and 'widget' so that background load on the machine falls on both alike,
 * each block in a page of its own (`open(kind)`), after `warmup` samples that are not counted,
 * `paceMs` apart. `sample(page, kind, n)` takes one (n numbers every sample); a sample with
 * `timedOut` counts as missing. Returns, per kind, the samples, the missing count, and every
 * counted result.
 */
export async function alternateBlocks({ count, block = 10, warmup = 2, paceMs = 150, open, sample }) {
  const counted = { raw: [], widget: [] };
  let n = 0;
  for (let done = 0; done < count; done += block) {
    const size = Math.min(block, count - done);
    for (const kind of ['raw', 'widget']) {
      const { page, close } = await open(kind);
      try {
        for (let i = 0; i < warmup + size; i++) {
          const result = await sample(page, kind, n++);
          if (i >= warmup) counted[kind].push(result);
          await pace(paceMs);
        }
      } finally {
        await close();
      }
    }
  }
  const kinds = Object.keys(counted);
  return {
    counted,
    samples: Object.fromEntries(kinds.map((kind) => [kind, counted[kind].filter((r) => !r.timedOut)])),
    missing: Object.fromEntries(kinds.map((kind) => [kind, counted[kind].filter((r) => r.timedOut).length])),
  };
}
