import type { APIRequestContext, Locator, Page } from '@playwright/test';

export const SERVER = `http://127.0.0.1:${process.env.RF_E2E_PORT ?? 18787}`;
export const PORTAL = `http://127.0.0.1:${process.env.RF_E2E_PORTAL_PORT ?? 5174}`;

/** A token for a demo persona, from the demo-only endpoint. */
export async function demoToken(
  request: APIRequestContext,
  persona: 'alex' | 'sam' | 'jordan' | 'priya',
): Promise<string> {
  const response = await request.get(`${SERVER}/demo/token?persona=${persona}`);
  return ((await response.json()) as { token: string }).token;
}

/** Escalates through the API as Alex (what a host portal's backend would do). */
export async function escalateViaApi(request: APIRequestContext, title: string): Promise<{ id: string }> {
  const response = await request.post(`${SERVER}/v1/handoffs`, {
    headers: { Authorization: `Bearer ${await demoToken(request, 'alex')}` },
    data: {
      title,
      priority: 'high',
      problemSummary: 'The print spooler crashes a minute after starting; labels cannot be printed.',
      tried: [
        { action: 'Restarted the Print Spooler service', outcome: 'failed', at: new Date().toISOString() },
      ],
      context: { client: 'Fabrikam Dental', device: 'FAB-RECEPTION-01' },
    },
  });
  if (response.status() !== 201)
    throw new Error(`create answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** A unique title, so tests never see each other's escalations. */
export const uniqueTitle = (what: string) =>
  `${what} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The senior's queue: the demo page's owner view has a second one (`#owner-queue`). */
export const QUEUE = 'escalation-queue:not(#owner-queue)';

/** The queue card with this title (Playwright's CSS engine pierces shadow roots). */
export const card = (page: Page, title: string): Locator =>
  page.locator(`${QUEUE} [part~="card"]`).filter({ hasText: title });

/** Waits until the queue on the page has loaded and its live connection is up. */
export async function queueLive(page: Page): Promise<void> {
  await page.locator(`${QUEUE} [part~="status-live"]`).waitFor();
}
