import { randomUUID } from 'node:crypto';
import type { WebhookDelivery } from '@resolutionflow/types';
import { and, desc, eq, gt, inArray, ne, or } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { WebhookDeliveryRow } from '../db/schema.js';
import { ApiError, notFound } from '../errors.js';
import { getWebhookRow } from './endpoints.js';

/** Events read per endpoint per dispatch transaction. */
const DISPATCH_BATCH = 500;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A delivery as the log shows it. */
export function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.endpointId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.log,
    nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
    createdAt: iso(row.createdAt)!,
    deliveredAt: iso(row.deliveredAt),
  };
}

/** A new delivery id: also the `webhook-id` header, the same on every retry and redelivery. */
export const deliveryId = () => `msg_${randomUUID().replaceAll('-', '')}`;

/**
 * Turns the account events each enabled endpoint has not seen into its
 * deliveries, one endpoint per transaction. The endpoint row is locked
 * (`FOR UPDATE SKIP LOCKED`) while its cursor moves, so with several instances
 * each event becomes one delivery per endpoint: an instance finding the row
 * taken moves on. Events are dense and commit in order per account, so
 * reading after the cursor never skips one committed late. Resolves the
 * number of deliveries queued.
 */
export async function dispatchEvents(database: Database, now: number): Promise<number> {
  const { webhookEndpoints, accountStreams, webhookDeliveries } = database.tables;
  const behind = await database.db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .innerJoin(accountStreams, eq(accountStreams.accountId, webhookEndpoints.accountId))
    .where(
      and(
        eq(webhookEndpoints.enabled, true),
        or(
          gt(accountStreams.lastSeq, webhookEndpoints.cursorSeq),
          ne(accountStreams.epoch, webhookEndpoints.cursorEpoch),
        ),
      ),
    );
  let queued = 0;
  for (const { id } of behind) {
    queued += await database.write(async (tx) => {
      const [endpoint] = await tx.forUpdate(
        tx.db
          .select()
          .from(webhookEndpoints)
          .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.enabled, true))),
        { skipLocked: true },
      );
      if (!endpoint) return 0;
      const [head] = await tx.db
        .select()
        .from(accountStreams)
        .where(eq(accountStreams.accountId, endpoint.accountId));
      if (!head) return 0;
      if (head.epoch !== endpoint.cursorEpoch) {
        // Renumbered (a restore): the old numbers mean nothing now; go on from the new head.
        await tx.db
          .update(webhookEndpoints)
          .set({ cursorEpoch: head.epoch, cursorSeq: head.lastSeq })
          .where(eq(webhookEndpoints.id, id));
        return 0;
      }
      const events = await tx.hot.eventsAfter(endpoint.accountId, endpoint.cursorSeq, DISPATCH_BATCH);
      const last = events.at(-1);
      if (!last) return 0;
      const wanted = new Set<string>(endpoint.events);
      const rows = events
        .filter((event) => wanted.has(event.type))
        .map((event) => ({
          id: deliveryId(),
          accountId: endpoint.accountId,
          endpointId: endpoint.id,
          eventType: event.type,
          payload: event.data,
          status: 'pending' as const,
          nextAttemptAt: now,
          log: [],
          // The event's time: the log reads in the order things happened.
          createdAt: event.createdAt,
        }));
      if (rows.length > 0) await tx.db.insert(webhookDeliveries).values(rows);
      await tx.db.update(webhookEndpoints).set({ cursorSeq: last.seq }).where(eq(webhookEndpoints.id, id));
      return rows.length;
    });
  }
  return queued;
}

/** Queues the test ping (`webhook.test`) for an enabled endpoint (a disabled one: 409). */
export async function queueTestPing(
  database: Database,
  accountId: string,
  webhookId: string,
  now: number,
): Promise<WebhookDelivery> {
  const endpoint = await getWebhookRow(database, accountId, webhookId);
  if (!endpoint.enabled) throw disabled();
  const type = 'webhook.test';
  const payload = JSON.stringify({ type, webhook: { id: endpoint.id }, at: new Date(now).toISOString() });
  const { webhookDeliveries } = database.tables;
  const [row] = await database.write(({ db }) =>
    db
      .insert(webhookDeliveries)
      .values({
        id: deliveryId(),
        accountId,
        endpointId: endpoint.id,
        eventType: type,
        payload,
        status: 'pending',
        nextAttemptAt: now,
        log: [],
        createdAt: now,
      })
      .returning(),
  );
  return toDelivery(row!);
}

const disabled = () =>
  new ApiError(409, 'invalid_state', 'The endpoint is disabled: enable it (PATCH enabled: true) first');

/** The endpoint's deliveries, newest first. */
export async function listDeliveries(
  database: Database,
  accountId: string,
  webhookId: string,
  query: { status?: WebhookDeliveryRow['status'] | undefined; limit: number },
): Promise<WebhookDelivery[]> {
  await getWebhookRow(database, accountId, webhookId);
  const { webhookDeliveries } = database.tables;
  const rows = await database.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, webhookId),
        eq(webhookDeliveries.accountId, accountId),
        query.status ? inArray(webhookDeliveries.status, [query.status]) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit);
  return rows.map(toDelivery);
}

/** Sends a delivery again (same `webhook-id`): due now, with a fresh run of attempts. */
export async function redeliver(
  database: Database,
  accountId: string,
  webhookId: string,
  id: string,
  now: number,
): Promise<WebhookDelivery> {
  const endpoint = await getWebhookRow(database, accountId, webhookId);
  if (!endpoint.enabled) throw disabled();
  const { webhookDeliveries } = database.tables;
  const [row] = await database.write(({ db }) =>
    db
      .update(webhookDeliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: now, deliveredAt: null })
      .where(
        and(
          eq(webhookDeliveries.id, id),
          eq(webhookDeliveries.endpointId, webhookId),
          eq(webhookDeliveries.accountId, accountId),
        ),
      )
      .returning(),
  );
  if (!row) throw notFound('Delivery');
  return toDelivery(row);
}
