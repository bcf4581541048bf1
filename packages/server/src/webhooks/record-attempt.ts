import type { DeliveryAttempt, WebhookEventData } from '@resolutionflow/types';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.js';
import type { WebhookPolicy } from './delivery-worker.js';
import type { AttemptOutcome } from './http-post.js';
import type { SendOutcome } from '../metrics/metrics.js';

/** What of the delivery policy recording an attempt needs. */
type AttemptPolicy = Pick<
  WebhookPolicy,
  'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'disableAfterFailures'
>;

/** Most attempts one delivery's log keeps (redeliveries add to it). */
const LOG_LIMIT = 50;

/** One attempt as it was made, to record. */
export interface Attempt {
  delivery: WebhookDeliveryRow;
  endpoint: WebhookEndpointRow;
  outcome: AttemptOutcome;
  /** When it started, and now. */
  at: number;
  now: number;
}

/**
 * Writes the attempt to the delivery's log, marks it delivered, schedules its
 * retry (exponential backoff) or gives up after `maxAttempts`, and keeps the
 * endpoint's run of failures: a success ends it; the run reaching
 * `disableAfterFailures`, or a 410 Gone, disables the endpoint with a
 * `webhook.disabled` event in the same transaction. Resolves what became of the
 * delivery (`sent`, `retry` or `failed`, as the outbox metrics count it) and,
 * when it disabled the endpoint, the account and reason.
 */
export async function recordAttempt(
  database: Database,
  policy: AttemptPolicy,
  { delivery, endpoint, outcome, at, now }: Attempt,
): Promise<{ sent: SendOutcome; disabled: { accountId: string; reason: string } | null }> {
  const { webhookDeliveries: deliveries, webhookEndpoints: endpoints } = database.tables;
  const attempts = delivery.attempts + 1;
  const entry: DeliveryAttempt = {
    at: new Date(at).toISOString(),
    status: outcome.status,
    error: outcome.error,
    durationMs: outcome.durationMs,
  };
  const log = [...delivery.log, entry].slice(-LOG_LIMIT);
  const gone = outcome.status === 410;
  const ok = outcome.error === null;
  const sent: SendOutcome = ok ? 'sent' : attempts >= policy.maxAttempts || gone ? 'failed' : 'retry';
  const update: Partial<WebhookDeliveryRow> = ok
    ? { status: 'delivered', attempts, deliveredAt: now, log }
    : sent === 'failed'
      ? { status: 'failed', attempts, log }
      : {
          attempts,
          log,
          nextAttemptAt: now + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1)),
        };
  const disabled = await database.write(async (tx) => {
    await tx.db.update(deliveries).set(update).where(eq(deliveries.id, delivery.id));
    if (ok) {
      await tx.db.update(endpoints).set({ consecutiveFailures: 0 }).where(eq(endpoints.id, endpoint.id));
      return null;
    }
    const [row] = await tx.db
      .update(endpoints)
      .set({ consecutiveFailures: sql`${endpoints.consecutiveFailures} + 1` })
      .where(eq(endpoints.id, endpoint.id))
      .returning();
    if (!row?.enabled || (!gone && row.consecutiveFailures < policy.disableAfterFailures)) return null;
    const reason = gone
      ? 'the receiver answered 410 Gone'
      : `${row.consecutiveFailures} failed attempts in a row (last: ${outcome.error})`;
    await tx.db
      .update(endpoints)
      .set({ enabled: false, disabledReason: reason, updatedAt: now })
      .where(eq(endpoints.id, endpoint.id));
    const data: WebhookEventData = {
      type: 'webhook.disabled',
      webhook: { id: row.id, kind: row.kind, description: row.description },
      reason,
      at: new Date(now).toISOString(),
    };
    await tx.hot.appendEvents(row.accountId, [
      { type: 'webhook.disabled', handoffId: null, data: JSON.stringify(data), createdAt: now },
    ]);
    return { accountId: row.accountId, reason };
  });
  return { sent, disabled };
}
