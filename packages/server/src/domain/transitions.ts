import type {
  Assessment,
  HandoffEventType,
  HandoffStatus,
  TransitionName,
  UserRef,
} from '@resolutionflow/types';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { HandoffRow } from '../db/schema.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { appendHandoffEvent } from './events.js';
import type { Change } from './handoffs.js';
import { toHandoff } from './handoff-mapper.js';

/** Who is asking for a change, and whether they are an admin of the account. */
export interface Actor extends UserRef {
  isAdmin: boolean;
}

type Patch = Partial<
  Pick<
    HandoffRow,
    'status' | 'claimedById' | 'claimedByName' | 'claimedAt' | 'startedAt' | 'resolvedAt' | 'cancelledAt'
  >
>;

interface TransitionRule {
  from: HandoffStatus[];
  event: HandoffEventType;
  /** Throws when the actor may not make this change to this row. */
  authorize?: (row: HandoffRow, actor: Actor) => void;
  patch: (actor: Actor, now: number) => Patch;
  /** A row already in this state needs no change: answer it as is (idempotency). */
  alreadyDone?: (row: HandoffRow, actor: Actor) => boolean;
}

const claimerOrAdmin = (verb: string) => (row: HandoffRow, actor: Actor) => {
  if (row.claimedById !== actor.id && !actor.isAdmin) {
    throw forbidden(`Only the engineer who picked this up or an admin can ${verb} it`);
  }
};

/** The actor holds this handoff: claimed by them, and not yet closed. */
const heldBy = (row: HandoffRow, actor: Actor) =>
  (row.status === 'claimed' || row.status === 'started') && row.claimedById === actor.id;

const RULES = {
  claim: {
    from: ['open'],
    event: 'handoff.claimed',
    // A retry of a claim that won (through any instance) must not read as losing to oneself.
    alreadyDone: heldBy,
    patch: (actor, now) => ({
      status: 'claimed',
      claimedById: actor.id,
      claimedByName: actor.name,
      claimedAt: now,
    }),
  },
  release: {
    from: ['claimed'],
    event: 'handoff.released',
    authorize: claimerOrAdmin('release'),
    patch: () => ({ status: 'open', claimedById: null, claimedByName: null, claimedAt: null }),
  },
  start: {
    from: ['claimed'],
    event: 'handoff.started',
    authorize: (row, actor) => {
      if (row.claimedById !== actor.id) throw forbidden('Only the engineer who picked this up can start it');
    },
    alreadyDone: (row, actor) => row.status === 'started' && row.claimedById === actor.id,
    patch: (_actor, now) => ({ status: 'started', startedAt: now }),
  },
  resolve: {
    from: ['claimed', 'started'],
    event: 'handoff.resolved',
    authorize: claimerOrAdmin('resolve'),
    patch: (_actor, now) => ({ status: 'resolved', resolvedAt: now }),
  },
  cancel: {
    from: ['open'],
    event: 'handoff.cancelled',
    authorize: (row, actor) => {
      if (row.createdById !== actor.id && !actor.isAdmin) {
        throw forbidden('Only the person who escalated this or an admin can cancel it');
      }
    },
    patch: (_actor, now) => ({ status: 'cancelled', cancelledAt: now }),
  },
} satisfies Record<TransitionName, TransitionRule>;

function conflict(row: HandoffRow, name: TransitionName): ApiError {
  if (name === 'claim' && row.claimedById) {
    const claimedBy = { id: row.claimedById, name: row.claimedByName ?? row.claimedById };
    return new ApiError(409, 'already_claimed', `Already picked up by ${claimedBy.name}`, {
      details: {
        claimedBy,
        claimedAt: row.claimedAt === null ? null : new Date(row.claimedAt).toISOString(),
      },
    });
  }
  return new ApiError(409, 'invalid_state', `Cannot ${name} a handoff that is ${row.status}`, {
    details: { status: row.status },
  });
}

/**
 * Applies one state change atomically: inside a write transaction the row is
 * read and locked (`SELECT … FOR UPDATE` on PostgreSQL, lock order: this row,
 * then the account's stream head; SQLite has one writer at a time), the rule
 * checked, a conditional update made (status must still be one of `from`),
 * and the event row appended last. Without the lock, one engineer's release
 * could undo another's claim made in between. Exactly one of many concurrent
 * claimers wins; the rest get a 409 naming the winner, except the winner
 * retrying, who gets 200 and the handoff as it is (no second event).
 */
export function transition(
  database: Database,
  accountId: string,
  id: string,
  name: TransitionName,
  actor: Actor,
  now: number,
): Promise<Change> {
  const rule: TransitionRule = RULES[name];
  const { handoffs } = database.tables;
  return database.write(async (tx) => {
    const where = and(eq(handoffs.id, id), eq(handoffs.accountId, accountId));
    const [row] = await tx.forUpdate(tx.db.select().from(handoffs).where(where));
    if (!row) throw notFound('Handoff');
    if (rule.alreadyDone?.(row, actor)) return { handoff: toHandoff(row), eventSeq: null };
    if (!rule.from.includes(row.status)) throw conflict(row, name);
    rule.authorize?.(row, actor);
    const [updated] = await tx.db
      .update(handoffs)
      .set(rule.patch(actor, now))
      .where(and(where, eq(handoffs.status, row.status)))
      .returning();
    if (!updated) throw conflict(row, name);
    const handoff = toHandoff(updated);
    const actorRef = { id: actor.id, name: actor.name };
    // A person's release says so, so a PSA note can tell it from the policy's.
    const extra = name === 'release' ? { reason: 'manual' as const } : {};
    const eventSeq = await appendHandoffEvent(tx.hot, accountId, rule.event, handoff, actorRef, now, extra);
    return { handoff, eventSeq };
  });
}

/**
 * Records the assessment's outcome with its `handoff.assessed` event, only while
 * it is still pending (a late answer after a timeout changes nothing).
 */
export function recordAssessment(
  database: Database,
  accountId: string,
  id: string,
  assessment: Assessment,
  now: number,
): Promise<Change | null> {
  const { handoffs } = database.tables;
  return database.write(async (tx) => {
    const where = and(eq(handoffs.id, id), eq(handoffs.accountId, accountId));
    const [row] = await tx.forUpdate(tx.db.select().from(handoffs).where(where));
    if (!row || row.assessment.status !== 'pending') return null;
    const [updated] = await tx.db.update(handoffs).set({ assessment }).where(where).returning();
    if (!updated) return null;
    const handoff = toHandoff(updated);
    return {
      handoff,
      eventSeq: await appendHandoffEvent(tx.hot, accountId, 'handoff.assessed', handoff, null, now),
    };
  });
}
