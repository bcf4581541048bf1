import type { Handoff, HandoffEventData, HandoffEventType, UserRef } from '@resolutionflow/types';
import { and, asc, eq, min } from 'drizzle-orm';
import type { Database, Db } from '../db/database.js';
import { hotStatements } from '../db/hot-statements.js';
import { events, type EventRow } from '../db/schema.js';

/**
 * Appends a `handoff.*` event (through a prepared statement: it runs on every
 * change). Call it inside the write transaction that made the change, so the
 * change and its event commit (or fail) together.
 */
export function appendHandoffEvent(
  database: Database,
  accountId: string,
  type: HandoffEventType,
  handoff: Handoff,
  actor: UserRef | null,
  now: number,
): number {
  const data: HandoffEventData = { type, handoff, actor, at: new Date(now).toISOString() };
  return hotStatements(database.sqlite).insertEvent(accountId, type, handoff.id, JSON.stringify(data), now);
}

/** The account's events after `afterSeq`, oldest first, at most `limit` (a prepared statement: streams run it per wake-up). */
export function eventsAfter(
  database: Database,
  accountId: string,
  afterSeq: number,
  limit: number,
): EventRow[] {
  return hotStatements(database.sqlite).eventsAfter(accountId, afterSeq, limit);
}

/** The oldest retained event id of the account, or null when it has none. */
export function oldestEventSeq(db: Db, accountId: string): number | null {
  return (
    db
      .select({ seq: min(events.seq) })
      .from(events)
      .where(eq(events.accountId, accountId))
      .get()?.seq ?? null
  );
}

/** Every event type of an account, in order (for tests and audits). */
export function eventTypesOf(db: Db, accountId: string, handoffId: string): string[] {
  return db
    .select({ type: events.type })
    .from(events)
    .where(and(eq(events.accountId, accountId), eq(events.handoffId, handoffId)))
    .orderBy(asc(events.seq))
    .all()
    .map((row) => row.type);
}
