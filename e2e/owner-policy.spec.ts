import { expect, test } from '@playwright/test';
import { escalateViaApi, SERVER, uniqueTitle } from './helpers.js';

test('the owner sets an escalation policy and sees a waiting escalation marked overdue', async ({
  page,
  request,
}) => {
  await page.goto(`${SERVER}/?view=owner`);
  const form = page.locator('#policy-form');
  await expect(page.locator('#policy-status')).toHaveText('The default policy is in force.');
  await expect(form.getByLabel('Still unclaimed: notify the engineers again after')).toHaveValue('600');

  await form.getByLabel('Still unclaimed: notify the engineers again after').fill('1');
  await form.getByLabel('then the admins after').fill('');
  await form.getByRole('button', { name: 'Save the policy' }).click();
  await expect(page.locator('#policy-status')).toHaveText('Your policy is in force.');

  const title = uniqueTitle('Scanner offline');
  await escalateViaApi(request, title);
  const ownerCard = page.locator('#owner-queue [part~="card"]').filter({ hasText: title });
  await expect(ownerCard).toBeVisible();
  await expect(ownerCard.locator('[part~="overdue"]')).toHaveText('Overdue', { timeout: 10_000 });

  // A step out of order is refused with the server's reason; the default comes back on request.
  await form.getByLabel('then the admins after').fill('1');
  await form.getByRole('button', { name: 'Save the policy' }).click();
  await expect(page.locator('#policy-status')).toContainText('greater than the step before');
  await form.getByRole('button', { name: 'Use the default' }).click();
  await expect(page.locator('#policy-status')).toHaveText('The default policy is in force.');
});
