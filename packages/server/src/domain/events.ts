import type { Handoff, HandoffEventData, HandoffEventType, UserRef } from '@resolutionflow/types';
import { eq, max } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { hotStatements } from '../db/hot-statements.js';
import { accountSettings, events, type EventRow } from '../db/schema.js';

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

/** Every event of the account after `afterSeq`, oldest first, read `pageSize` at a time. */
export function allEventsAfter(
  database: Database,
  accountId: string,
  afterSeq: number,
  pageSize: number,
): EventRow[] {
  const rows: EventRow[] = [];
  for (let page = eventsAfter(database, accountId, afterSeq, pageSize); ;) {
    rows.push(...page);
    const last = page.at(-1);
    if (page.length < pageSize || !last) return rows;
    page = eventsAfter(database, accountId, last.seq, pageSize);
  }
}

/** Where a reader of the account's events starts. */
export interface ResumePoint {
  /** The sequence number it continues after. */
  cursor: number;
  /**
   * Set when it asked to resume from a point that cannot be resumed from, and
   * starts at the tail instead: the events after it were pruned, or the id was
   * never one of this server's.
   */
  lost?: 'pruned' | 'unknown';
}

/**
 * Where a reader resumes after `lastEventId` (the account's tail when null).
 * Resuming across pruned events, or from an id past the newest event (another
 * server's, or a database that was reset), would silently skip events, so
 * those start at the tail with `lost` saying why.
 */
export function resumePoint(database: Database, accountId: string, lastEventId: number | null): ResumePoint {
  const { db } = database;
  const tail =
    db
      .select({ seq: max(events.seq) })
      .from(events)
      .where(eq(events.accountId, accountId))
      .get()?.seq ?? 0;
  if (lastEventId === null) return { cursor: tail };
  const newest =
    db
      .select({ seq: max(events.seq) })
      .from(events)
      .get()?.seq ?? 0;
  const pruned =
    db
      .select({ through: accountSettings.eventsPrunedThrough })
      .from(accountSettings)
      .where(eq(accountSettings.accountId, accountId))
      .get()?.through ?? 0;
  if (lastEventId < pruned) return { cursor: tail, lost: 'pruned' };
  if (lastEventId > newest) return { cursor: tail, lost: 'unknown' };
  return { cursor: lastEventId };
}
