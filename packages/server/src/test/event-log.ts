import type { HandoffEventType } from '@resolutionflow/types';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { events } from '../db/schema.js';

/** Every event type of one handoff, in order: what a test asserts the change history with. */
export function eventTypesOf(db: Db, accountId: string, handoffId: string): HandoffEventType[] {
  return db
    .select({ type: events.type })
    .from(events)
    .where(and(eq(events.accountId, accountId), eq(events.handoffId, handoffId)))
    .orderBy(asc(events.seq))
    .all()
    .map((row) => row.type);
}
