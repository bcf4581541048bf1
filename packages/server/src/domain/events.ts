import type { Handoff, HandoffEventType, PolicyFiring, ReleaseReason, UserRef } from '@resolutionflow/types';
import type { Database, EventInsert, HotStatements } from '../db/database.js';
import type { EventRow } from '../db/schema.js';
import { handoffJson } from './handoff-json.js';

/** A `handoff.*` event waiting for its number. */
export interface EventDraft {
  type: HandoffEventType;
  handoff: Handoff;
  actor: UserRef | null;
  now: number;
  /** Why a `handoff.released` happened, and the policy step behind an overdue or policy release. */
  reason?: ReleaseReason;
  policy?: PolicyFiring;
}

/**
 * Appends the account's events with the next numbers of its sequence and
 * returns them. Call it inside the write transaction that made the changes, as
 * its last statement before COMMIT: the head row stays locked (on PostgreSQL)
 * until then, so numbers are dense and commit in order. A batch spanning
 * accounts calls it once per account, in sorted account order.
 */
export function appendEvents(
  hot: HotStatements,
  accountId: string,
  drafts: readonly EventDraft[],
): Promise<number[]> {
  if (drafts.length === 0) return Promise.resolve([]);
  return hot.appendEvents(accountId, drafts.map(eventInsert));
}

/**
 * The row of a drafted event, minus its account and number. Its data is what
 * `JSON.stringify` makes of a `HandoffEventData` (`type`, `handoff`,
 * `actor`, `at`, then `reason` and `policy` when there are any), written out
 * here so the handoff's own JSON ({@link handoffJson}) is made only once.
 */
export function eventInsert({ type, handoff, actor, now, reason, policy }: EventDraft): EventInsert {
  let data =
    `{"type":${JSON.stringify(type)},"handoff":${handoffJson(handoff)},` +
    `"actor":${JSON.stringify(actor)},"at":"${new Date(now).toISOString()}"`;
  if (reason) data += `,"reason":${JSON.stringify(reason)}`;
  if (policy) data += `,"policy":${JSON.stringify(policy)}`;
  return { type, handoffId: handoff.id, data: `${data}}`, createdAt: now };
}

/** Appends one `handoff.*` event (see {@link appendEvents}); returns its number. */
export async function appendHandoffEvent(
  hot: HotStatements,
  accountId: string,
  type: HandoffEventType,
  handoff: Handoff,
  actor: UserRef | null,
  now: number,
  extra: Pick<EventDraft, 'reason' | 'policy'> = {},
): Promise<number> {
  return (await appendEvents(hot, accountId, [{ type, handoff, actor, now, ...extra }]))[0]!;
}

/** The account's events after `afterSeq`, oldest first, at most `limit` (streams run it per wake-up). */
export function eventsAfter(
  database: Database,
  accountId: string,
  afterSeq: number,
  limit: number,
): Promise<EventRow[]> {
  return database.hot.eventsAfter(accountId, afterSeq, limit);
}

/** Every event of the account after `afterSeq`, oldest first, read `pageSize` at a time. */
export async function allEventsAfter(
  database: Database,
  accountId: string,
  afterSeq: number,
  pageSize: number,
): Promise<EventRow[]> {
  const rows: EventRow[] = [];
  for (let page = await eventsAfter(database, accountId, afterSeq, pageSize); ;) {
    rows.push(...page);
    const last = page.at(-1);
    if (page.length < pageSize || !last) return rows;
    page = await eventsAfter(database, accountId, last.seq, pageSize);
  }
}
