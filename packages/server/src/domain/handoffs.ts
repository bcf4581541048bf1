import { randomUUID } from 'node:crypto';
import type {
  Assessment,
  CreateHandoffRequestSchema,
  Handoff,
  HandoffStatus,
  UserRef,
} from '@resolutionflow/types';
import { and, asc, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../db/database.js';
import { handoffs, notificationOutbox } from '../db/schema.js';
import { notFound } from '../http/errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { appendHandoffEvent } from './events.js';
import { priorityRank, toHandoff } from './handoff-mapper.js';
import { escalationRecipients } from './users.js';

type CreateInput = z.output<typeof CreateHandoffRequestSchema>;

/** Result of a state change: the handoff after it and the event id it wrote. */
export interface Change {
  handoff: Handoff;
  eventSeq: number | null;
}

/**
 * Creates a handoff with its `handoff.created` event and, for an escalation, one
 * outbox row per engineer and admin with an address (not the creator) — all in
 * one immediate transaction.
 */
export function createHandoff(
  database: Database,
  accountId: string,
  actor: UserRef,
  input: CreateInput,
  initialAssessment: Assessment,
  now: number,
  options: { notify?: boolean } = {},
): Change {
  return database.write((db) => {
    const row = db
      .insert(handoffs)
      .values({
        id: randomUUID(),
        accountId,
        intent: input.intent,
        status: 'open',
        priority: input.priority,
        priorityRank: priorityRank(input.priority),
        title: input.title,
        problemSummary: input.problemSummary,
        tried: input.tried,
        context: input.context,
        hostSessionId: input.hostSessionId ?? null,
        assessment: initialAssessment,
        createdById: actor.id,
        createdByName: actor.name,
        createdAt: now,
      })
      .returning()
      .get();
    const handoff = toHandoff(row);
    const eventSeq = appendHandoffEvent(db, accountId, 'handoff.created', handoff, actor, now);
    if (input.intent === 'escalate' && options.notify !== false) {
      const recipients = escalationRecipients(database, accountId, actor.id);
      if (recipients.length > 0) {
        db.insert(notificationOutbox)
          .values(
            recipients.map((user) => ({
              accountId,
              handoffId: handoff.id,
              recipientId: user.id,
              recipientEmail: user.email ?? '',
              status: 'pending',
              nextAttemptAt: now,
              createdAt: now,
            })),
          )
          .run();
      }
    }
    return { handoff, eventSeq };
  });
}

/** One handoff of the account; another account's id is simply not found. */
export function getHandoff(database: Database, accountId: string, id: string): Handoff {
  const row = database.db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.id, id), eq(handoffs.accountId, accountId)))
    .get();
  if (!row) throw notFound('Handoff');
  return toHandoff(row);
}

/** A page of the account's handoffs in queue order (priority, then oldest) or newest first. */
export function listHandoffs(
  database: Database,
  accountId: string,
  query: { status?: HandoffStatus[] | undefined; order: 'priority' | 'newest'; limit: number; cursor?: string | undefined },
): { items: Handoff[]; nextCursor: string | null } {
  const conditions: (SQL | undefined)[] = [eq(handoffs.accountId, accountId)];
  if (query.status) conditions.push(inArray(handoffs.status, query.status));
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    if (query.order === 'priority') {
      const rank = cursor.r ?? 0;
      conditions.push(
        or(
          lt(handoffs.priorityRank, rank),
          and(eq(handoffs.priorityRank, rank), gt(handoffs.createdAt, cursor.t)),
          and(eq(handoffs.priorityRank, rank), eq(handoffs.createdAt, cursor.t), gt(handoffs.id, cursor.i)),
        ),
      );
    } else {
      conditions.push(
        or(lt(handoffs.createdAt, cursor.t), and(eq(handoffs.createdAt, cursor.t), lt(handoffs.id, cursor.i))),
      );
    }
  }
  const orderBy =
    query.order === 'priority'
      ? [desc(handoffs.priorityRank), asc(handoffs.createdAt), asc(handoffs.id)]
      : [desc(handoffs.createdAt), desc(handoffs.id)];
  const rows = database.db
    .select()
    .from(handoffs)
    .where(and(...conditions))
    .orderBy(...orderBy)
    .limit(query.limit + 1)
    .all();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ r: query.order === 'priority' ? last.priorityRank : undefined, t: last.createdAt, i: last.id })
      : null;
  return { items: page.map(toHandoff), nextCursor };
}
