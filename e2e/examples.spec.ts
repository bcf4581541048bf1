import { expect, test } from '@playwright/test';
import { card, escalateViaApi, PORTAL, queueLive, uniqueTitle } from './helpers.js';

test('the script-tag example renders in a hostile portal and receives a live escalation', async ({
  page,
  request,
}) => {
  await page.goto(`${PORTAL}/script-tag/`);
  await queueLive(page);
  const title = uniqueTitle('Portal escalation');
  await escalateViaApi(request, title);
  const arrived = card(page, title);
  await expect(arrived).toBeVisible();
  // The portal's global CSS (Comic Sans, dashed magenta borders) stays out of the shadow root.
  const style = await arrived.locator('[part~="title"]').evaluate((node) => {
    const computed = getComputedStyle(node);
    return { font: computed.fontFamily, border: computed.borderTopStyle };
  });
  expect(style.font).not.toMatch(/comic/i);
  expect(style.border).not.toBe('dashed');
});

test('the strict-CSP example works with no violations', async ({ page, request }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Trusted Type/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${PORTAL}/strict-csp/`);
  await queueLive(page);
  const title = uniqueTitle('Strict CSP escalation');
  await escalateViaApi(request, title);
  await expect(card(page, title)).toBeVisible();
  await expect(page.locator('#violations')).toHaveText('CSP violations: 0');
  expect(violations).toEqual([]);
});
