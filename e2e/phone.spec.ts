import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { card, escalateViaApi, queueLive, SERVER, uniqueTitle, QUEUE } from './helpers.js';

const require = createRequire(import.meta.url);
/** axe-core, injected into the page (the demo's CSP is bypassed for this context only). */
const AXE = require.resolve('axe-core/axe.min.js');

/** A path with no break opportunity, as AI assessments quote them. */
const UNBROKEN =
  '%LOCALAPPDATA%\\Packages\\Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy\\AC\\TokenBroker\\Accounts';

/** Elements of the page and of every shadow root in it whose box reaches past the viewport's width. */
function wider(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const found: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const node of root.querySelectorAll('*')) {
        const box = node.getBoundingClientRect();
        if (box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5)) {
          found.push(
            `${node.localName}${node.id ? `#${node.id}` : ''}[part=${node.getAttribute('part')}] ${Math.round(box.left)}…${Math.round(box.right)}`,
          );
        }
        if (node.shadowRoot) walk(node.shadowRoot);
      }
    };
    walk(document);
    if (document.documentElement.scrollWidth > limit)
      found.push(`page scrollWidth ${document.documentElement.scrollWidth}`);
    return found;
  });
}

/** Axe's violations on the page, shadow roots included. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
  });
}

test.describe('phones: 360 × 740', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('every view of the demo fits the screen, before and after Pick up, long paths included', async ({
    page,
    request,
  }) => {
    const title = uniqueTitle('Phone sign-in loop');
    const created = await escalateViaApi(request, title);
    // A long unbroken path in the handoff, as the issue saw it run out of its box.
    expect(created.id).toBeTruthy();
    const ready = {
      all: 'escalation-metrics [part~="figures"]',
      junior: '#escalate-form',
      owner: 'escalation-metrics [part~="figures"]',
    };
    for (const [view, selector] of Object.entries(ready)) {
      await page.goto(`${SERVER}/?view=${view}`);
      await page.locator(selector).waitFor();
      expect(await wider(page), view).toEqual([]);
    }
    await page.goto(`${SERVER}/?view=senior`);
    await queueLive(page);
    const longTitle = `Token broker ${UNBROKEN}`;
    await escalateViaApi(request, longTitle);
    await expect(card(page, longTitle)).toBeVisible();
    expect(await wider(page)).toEqual([]);
    await card(page, longTitle).getByRole('button', { name: 'Pick up' }).click();
    const context = page.locator(`${QUEUE} handoff-context`);
    await expect(context.locator('[part~="title"]')).toBeFocused();
    await expect(context.locator('[part~="section-start"]')).toBeAttached();
    expect(await wider(page)).toEqual([]);
  });
});

for (const width of [360, 1280]) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`axe finds nothing on the demo at ${width} px, ${colorScheme}`, async ({ browser, request }) => {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        colorScheme,
        bypassCSP: true,
      });
      try {
        const page = await context.newPage();
        await page.goto(`${SERVER}/?view=all`);
        await queueLive(page);
        await escalateViaApi(request, uniqueTitle(`Axe ${width} ${colorScheme}`));
        await expect(page.locator('escalation-metrics [part~="figure"]').first()).toBeVisible();
        await expect(page.locator(`${QUEUE} [part~="count"]`).first()).toBeVisible();
        expect(await axeViolations(page)).toEqual([]);
        // And with a handoff in focus.
        await page.locator(`${QUEUE} [part~="claim-button"]`).first().click();
        await expect(page.locator(`${QUEUE} handoff-context [part~="section-start"]`)).toBeVisible();
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
}
