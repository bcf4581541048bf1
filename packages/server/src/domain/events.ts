import type { Handoff, HandoffEventData, HandoffEventType, UserRef } from '@resolutionflow/types';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { hotStatements } from '../db/hot-statements.js';
import { accountStreams, type EventRow } from '../db/schema.js';

/** A `handoff.*` event waiting for its number. */
export interface EventDraft {
  type: HandoffEventType;
  handoff: Handoff;
  actor: UserRef | null;
  now: number;
}

/**
 * Appends the account's events with the next numbers of its sequence and
 * returns them. Call it inside the write transaction that made the changes, as
 * its last statement before COMMIT: the head row stays locked (on PostgreSQL)
 * until then, so numbers are dense and commit in order. A batch spanning
 * accounts calls it once per account, in sorted account order.
 */
export function appendEvents(database: Database, accountId: string, drafts: readonly EventDraft[]): number[] {
  if (drafts.length === 0) return [];
  const statements = hotStatements(database.sqlite);
  const last = statements.advanceHead(accountId, drafts.length);
  if (last === undefined) throw new Error(`Account ${accountId} has no event stream head`);
  const first = last - drafts.length + 1;
  return drafts.map(({ type, handoff, actor, now }, index) => {
    const data: HandoffEventData = { type, handoff, actor, at: new Date(now).toISOString() };
    statements.insertEvent(accountId, first + index, type, handoff.id, JSON.stringify(data), now);
    return first + index;
  });
}

/** Appends one `handoff.*` event (see {@link appendEvents}); returns its number. */
export function appendHandoffEvent(
  database: Database,
  accountId: string,
  type: HandoffEventType,
  handoff: Handoff,
  actor: UserRef | null,
  now: number,
): number {
  return appendEvents(database, accountId, [{ type, handoff, actor, now }])[0]!;
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
  const head = database.db
    .select({ lastSeq: accountStreams.lastSeq, prunedThrough: accountStreams.prunedThrough })
    .from(accountStreams)
    .where(eq(accountStreams.accountId, accountId))
    .get() ?? { lastSeq: 0, prunedThrough: 0 };
  const tail = head.lastSeq;
  if (lastEventId === null) return { cursor: tail };
  if (lastEventId < head.prunedThrough) return { cursor: tail, lost: 'pruned' };
  if (lastEventId > tail) return { cursor: tail, lost: 'unknown' };
  return { cursor: lastEventId };
}
