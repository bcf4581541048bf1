import { randomUUID } from 'node:crypto';
import {
  PRIORITY_RANK,
  type Assessment,
  type CreateHandoffRequestSchema,
  type Handoff,
  type HandoffStatus,
  type QueueView,
  type UserRef,
} from '@resolutionflow/types';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import type { HandoffRow, OutboxInsert } from '../db/schema.js';
import { notFound } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { appendEvents, type EventDraft } from './events.js';
import { toHandoff } from './handoff-mapper.js';
import { handoffJson } from './handoff-json.js';
import { recordAnswer, type IdempotentRequest } from './idempotency.js';
import { VIEW_STATUSES } from './queue-views.js';

type CreateInput = z.output<typeof CreateHandoffRequestSchema>;

/** Result of a state change: the handoff after it and the event id it wrote. */
export interface Change {
  handoff: Handoff;
  eventSeq: number | null;
}

/** Everything a create needs besides the database. */
export interface CreateRequest {
  accountId: string;
  actor: UserRef;
  input: CreateInput;
  initialAssessment: Assessment;
  now: number;
  /** Queue escalation e-mail (only when a mailer is configured). */
  notify: boolean;
  /** Set when the request carried an `Idempotency-Key`: its 201 is stored under it. */
  idempotency?: IdempotentRequest | undefined;
}

/** A handoff written, with its `handoff.created` event still to be numbered. */
export interface Insertion {
  handoff: Handoff;
  event: EventDraft;
}

/** The row of a new handoff: built here, so no read-back after the insert. */
export function handoffRow(request: CreateRequest): HandoffRow {
  const { accountId, actor, input, now } = request;
  return {
    id: randomUUID(),
    accountId,
    intent: input.intent,
    status: 'open',
    priority: input.priority,
    priorityRank: PRIORITY_RANK[input.priority],
    title: input.title,
    problemSummary: input.problemSummary,
    tried: input.tried,
    context: input.context,
    hostSessionId: input.hostSessionId ?? null,
    assessment: request.initialAssessment,
    createdById: actor.id,
    createdByName: actor.name,
    claimedById: null,
    claimedByName: null,
    createdAt: now,
    claimedAt: null,
    startedAt: null,
    resolvedAt: null,
    cancelledAt: null,
    externalRef: input.externalRef ?? null,
    overdueAt: null,
  };
}

/** Whether the create queues escalation e-mail (an escalation, with a mailer configured). */
export const notifies = (request: CreateRequest): boolean =>
  request.input.intent === 'escalate' && request.notify;

/** The outbox rows of an escalation: one per recipient, never the creator. */
export function outboxRows(
  request: CreateRequest,
  handoffId: string,
  recipients: readonly { id: string; email: string }[],
): OutboxInsert[] {
  const { accountId, now } = request;
  return recipients
    .filter((user) => user.id !== request.actor.id)
    .map((user) => ({
      accountId,
      handoffId,
      recipientId: user.id,
      recipientEmail: user.email,
      status: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    }));
}

/** The `handoff.created` event of a handoff just written. */
export const createdEvent = (request: CreateRequest, handoff: Handoff): EventDraft => ({
  type: 'handoff.created',
  handoff,
  actor: request.actor,
  now: request.now,
});

/**
 * Writes a handoff, for an escalation one outbox row per engineer and admin
 * with an address (not the creator), and the answer under its idempotency key
 * (throwing `IdempotencyKeyTaken` when a live one holds it). Must run inside a
 * write transaction that then appends the returned event ({@link appendEvents})
 * as its last statement. A group commit writes its batch in one go instead
 * (`writeCreateBatch` in batch-insert.ts), falling back to this one create at a time.
 */
export async function insertHandoff(database: Database, tx: Tx, request: CreateRequest): Promise<Insertion> {
  const row = handoffRow(request);
  await tx.hot.insertHandoffs([row]);
  const handoff = toHandoff(row);
  if (notifies(request)) {
    const recipients = await tx.hot.escalationRecipients(request.accountId, request.actor.id);
    const rows = outboxRows(request, handoff.id, recipients);
    if (rows.length > 0) await tx.db.insert(database.tables.notificationOutbox).values(rows);
  }
  if (request.idempotency) {
    const answer = { handoffId: handoff.id, status: 201, body: handoffJson(handoff) };
    await recordAnswer(database, tx, request.accountId, request.idempotency, answer, request.now);
  }
  return { handoff, event: createdEvent(request, handoff) };
}

/** Creates one handoff in its own immediate transaction (see {@link insertHandoff}). */
export function createHandoff(
  database: Database,
  accountId: string,
  actor: UserRef,
  input: CreateInput,
  initialAssessment: Assessment,
  now: number,
  options: { notify?: boolean } = {},
): Promise<Change> {
  return database.write(async (tx) => {
    const { handoff, event } = await insertHandoff(database, tx, {
      accountId,
      actor,
      input,
      initialAssessment,
      now,
      notify: options.notify !== false,
    });
    return { handoff, eventSeq: (await appendEvents(tx.hot, accountId, [event]))[0]! };
  });
}

/** One handoff of the account; another account's id is simply not found. */
export async function getHandoff(database: Database, accountId: string, id: string): Promise<Handoff> {
  const { handoffs } = database.tables;
  const [row] = await database.db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.id, id), eq(handoffs.accountId, accountId)));
  if (!row) throw notFound('Handoff');
  return toHandoff(row);
}

/**
 * A page of the account's handoffs in queue order (priority, then oldest) or
 * newest first: of a view (`mine` needs `userId`, the caller) or of statuses.
 */
export async function listHandoffs(
  database: Database,
  accountId: string,
  query: {
    view?: QueueView | undefined;
    status?: HandoffStatus[] | undefined;
    order: 'priority' | 'newest';
    limit: number;
    cursor?: string | undefined;
  },
  userId?: string,
): Promise<{ items: Handoff[]; nextCursor: string | null }> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await database.hot.queuePage(accountId, {
    statuses: [...new Set(query.view ? VIEW_STATUSES[query.view] : (query.status ?? []))],
    // Without a caller, `mine` matches no one: never everyone's claims.
    claimedBy: query.view === 'mine' ? (userId ?? '') : undefined,
    order: query.order,
    limit: query.limit + 1,
    after: cursor && { rank: cursor.r ?? 0, createdAt: cursor.t, id: cursor.i },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({
          r: query.order === 'priority' ? last.priorityRank : undefined,
          t: last.createdAt,
          i: last.id,
        })
      : null;
  return { items: page.map(toHandoff), nextCursor };
}
