import type { Handoff, HandoffEventData, HandoffEventType, UserRef } from '@resolutionflow/types';
import type { Database } from '../db/database.js';
import { hotStatements } from '../db/hot-statements.js';
import type { EventRow } from '../db/schema.js';

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
