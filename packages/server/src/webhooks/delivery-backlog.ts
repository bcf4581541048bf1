import { and, count, eq, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { backlogFrom } from '../mail/outbox-backlog.js';
import type { OutboxBacklog } from '../metrics/metrics.js';

/**
 * The webhook deliveries waiting to be sent, for the `webhook` outbox gauges:
 * those of enabled endpoints only. A disabled endpoint's deliveries wait, on
 * purpose, until an admin enables it again; counted, one such endpoint would
 * hold the oldest-age gauge (and its alert) up for as long as it stays off.
 */
export async function webhookBacklog(database: Database, clock: Clock): Promise<OutboxBacklog> {
  const { webhookDeliveries: deliveries, webhookEndpoints: endpoints } = database.tables;
  const [row] = await database.db
    .select({ pending: count(), oldest: sql<number | null>`min(${deliveries.createdAt})` })
    .from(deliveries)
    .innerJoin(endpoints, eq(endpoints.id, deliveries.endpointId))
    .where(and(eq(deliveries.status, 'pending'), eq(endpoints.enabled, true)));
  return backlogFrom(row, clock.now());
}
