import { expect, test } from '@playwright/test';
import { card, escalateViaApi, queueLive, SERVER, uniqueTitle, QUEUE } from './helpers.js';

test('the magic moment: junior escalates, senior picks up and starts, owner sees it', async ({ browser }) => {
  const junior = await (await browser.newContext()).newPage();
  const senior = await (await browser.newContext()).newPage();
  const owner = await (await browser.newContext()).newPage();
  await junior.goto(`${SERVER}/?view=junior`);
  await senior.goto(`${SERVER}/?view=senior`);
  await owner.goto(`${SERVER}/?view=owner`);
  await queueLive(senior);

  const analytics = async () => {
    const token = await (await owner.request.get(`${SERVER}/demo/token?persona=priya`)).json();
    const response = await owner.request.get(`${SERVER}/v1/analytics/escalations?period=30d`, {
      headers: { Authorization: `Bearer ${token.token}` },
    });
    const body = (await response.json()) as { created: number; claimed: number };
    // Handoffs of the account that recorded a first action, read back through the API.
    const list = await owner.request.get(`${SERVER}/v1/handoffs?status=started&limit=100`, {
      headers: { Authorization: `Bearer ${token.token}` },
    });
    return { ...body, startedCount: ((await list.json()) as { items: unknown[] }).items.length };
  };
  const before = await analytics();
  // The owner's figures before, to compare after.
  const figure = (label: string) =>
    owner
      .locator('escalation-metrics [part~="figure"]')
      .filter({ hasText: label })
      .locator('[part~="figure-value"]');
  await expect(figure('Escalations')).toBeVisible();
  const escalationsBefore = Number(await figure('Escalations').textContent());

  // Junior escalates with tried steps.
  const title = uniqueTitle('Label printer spooler crashes');
  await junior.fill('#title', title);
  await junior.fill('#client', 'Fabrikam Dental');
  await junior.fill('#device', 'FAB-RECEPTION-01');
  await junior.selectOption('#priority', 'urgent');
  await junior.fill(
    '#summary',
    'Print Spooler crashes a minute after starting; faulting module is the label printer vendor DLL.',
  );
  await junior.fill('.step__action', 'Restarted the Print Spooler service');
  await junior.click('#add-step');
  await junior.locator('.step__action').nth(1).fill('Cleared the spool folder');
  const submitted = Date.now();
  await junior.click('#escalate');

  // The senior's queue shows it within a second.
  await expect(card(senior, title)).toBeVisible({ timeout: 1000 });
  const arrivedAfterMs = Date.now() - submitted;
  expect(arrivedAfterMs).toBeLessThan(1000);
  await expect(junior.locator('#form-status')).toContainText('Escalated');

  // The senior picks it up; the handoff becomes the focus: its heading focused, the list one step back.
  await card(senior, title).getByRole('button', { name: 'Pick up' }).click();
  const context = senior.locator(`${QUEUE} handoff-context`);
  await expect(context.locator('[part~="title"]')).toHaveText(title);
  await expect(context.locator('[part~="title"]')).toBeFocused();
  await expect(senior.locator(`${QUEUE} [part~="list"]`)).toBeHidden();
  await expect(senior.locator(`${QUEUE} [part~="back-button"]`)).toBeVisible();
  for (const section of ['summary', 'tried', 'assessment', 'start']) {
    await expect(context.locator(`[part~="section-${section}"]`)).toBeVisible();
  }
  await expect(context.locator('[part~="section-summary"]')).toBeInViewport();
  await expect(context.locator('[part~="step"]')).toHaveCount(2);
  // The built-in assessor recognises the spooler pattern; its answer arrives live.
  await expect(context.locator('[part~="likely-cause"]')).toContainText('spoolsv');

  // Start here: records the first action and tells the host page.
  await context.locator('[part~="start-button"]').click();
  await expect(senior.locator('#start-toast')).toContainText('started work');
  await expect(context.locator('[part~="status-text"]')).toContainText(/Started/i);

  // The owner's metrics follow the stream: the count rises without a reload.
  await expect(figure('Escalations')).toHaveText(String(escalationsBefore + 1), { timeout: 5000 });
  await expect(figure('Hours saved per week')).toBeVisible();
  const after = await analytics();
  expect(after).toMatchObject({ created: before.created + 1, claimed: before.claimed + 1 });
  expect(after.startedCount).toBe(before.startedCount + 1);
  console.log(`e2e: card painted ${arrivedAfterMs} ms after Escalate`);

  await senior.screenshot({ path: 'test-results/e2e/senior-after-start.png' });

  // Back: the list again, and what Sam picked up is in Mine with its state.
  await senior.locator(`${QUEUE} [part~="back-button"]`).click();
  await expect(senior.locator(`${QUEUE} [part~="list"]`)).toBeVisible();
  await senior.locator(`${QUEUE} [part~="tab"]`).filter({ hasText: 'Mine' }).click();
  await expect(card(senior, title).locator('[part~="state"]')).toHaveText('Started');
});

test('a second senior sees "Picked up by Sam" and the card leaves', async ({ browser }) => {
  const sam = await (await browser.newContext()).newPage();
  const jordan = await (await browser.newContext()).newPage();
  await sam.goto(`${SERVER}/?view=senior`);
  await jordan.goto(`${SERVER}/?view=senior&senior=jordan`);
  await queueLive(sam);
  await queueLive(jordan);
  const title = uniqueTitle('VPN tunnel flapping');
  await escalateViaApi(sam.request, title);
  await expect(card(jordan, title)).toBeVisible();
  await card(sam, title).getByRole('button', { name: 'Pick up' }).click();
  await expect(card(jordan, title)).toContainText('Picked up by Sam Rivera');
  await expect(card(jordan, title)).toHaveCount(0, { timeout: 10_000 });
});

test('a hidden tab flashes the count of new escalations in its title, then restores it', async ({
  page,
  request,
}) => {
  await page.goto(`${SERVER}/?view=senior`);
  await queueLive(page);
  const original = await page.title();
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await escalateViaApi(request, uniqueTitle('Hidden tab'));
  await expect.poll(() => page.title()).toContain('(1) New escalation');
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect.poll(() => page.title()).toBe(original);
});
