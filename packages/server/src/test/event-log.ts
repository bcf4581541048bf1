import type { WebhookEventType } from '@resolutionflow/types';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/** Every event type of one handoff, in order: what a test asserts the change history with. */
export async function eventTypesOf(
  database: Database,
  accountId: string,
  handoffId: string,
): Promise<WebhookEventType[]> {
  const { events } = database.tables;
  const rows = await database.db
    .select({ type: events.type })
    .from(events)
    .where(and(eq(events.accountId, accountId), eq(events.handoffId, handoffId)))
    .orderBy(asc(events.seq));
  return rows.map((row) => row.type);
}
