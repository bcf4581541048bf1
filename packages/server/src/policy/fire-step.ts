import type { PolicyFiring, Role } from '@resolutionflow/types';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import type { HandoffRow, OutboxInsert } from '../db/schema.js';
import { appendHandoffEvent } from '../domain/events.js';
import { toHandoff } from '../domain/handoff-mapper.js';

/** A policy step due for one handoff, as the scheduler found it. */
export interface DueStep {
  accountId: string;
  handoffId: string;
  rule: PolicyFiring['rule'];
  step: number;
  afterSeconds: number;
  action: PolicyFiring['action'];
  /** The claim the step was due for (`claimedNotStarted` only): a later claim has its own steps. */
  claimedAt?: number;
}

/** The key that makes a step fire once: per escalation, and per claim for `claimedNotStarted`. */
export const stepKey = (due: Pick<DueStep, 'rule' | 'step' | 'claimedAt'>): string =>
  due.rule === 'unclaimed' ? `unclaimed:${due.step}` : `claimed:${due.claimedAt}:${due.step}`;

const AUDIENCE_ROLES: Record<'engineers' | 'admins', Role> = { engineers: 'engineer', admins: 'admin' };

/** The people a step tells, with their addresses (null: no address, so no e-mail). */
async function audience(
  database: Database,
  tx: Tx,
  row: HandoffRow,
  due: DueStep,
): Promise<{ id: string; email: string | null }[]> {
  if (due.action === 'remind' || due.action === 'release') {
    if (!row.claimedById) return [];
    const { users } = database.tables;
    const [claimer] = await tx.db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.accountId, row.accountId), eq(users.id, row.claimedById)));
    return due.action === 'remind' ? [claimer ?? { id: row.claimedById, email: null }] : [];
  }
  const { users } = database.tables;
  // Like the escalation e-mail: never the person who escalated.
  return tx.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(
        eq(users.accountId, row.accountId),
        inArray(users.role, [AUDIENCE_ROLES[due.action]]),
        ne(users.id, row.createdById),
      ),
    )
    .orderBy(users.id);
}

/** Is the step still due for the row as it is now (the escalation may have moved on since it was found)? */
function stillDue(row: HandoffRow, due: DueStep, now: number): boolean {
  const after = due.afterSeconds * 1000;
  if (due.rule === 'unclaimed') return row.status === 'open' && row.createdAt + after <= now;
  return row.status === 'claimed' && row.claimedAt === due.claimedAt && row.claimedAt + after <= now;
}

/**
 * Fires one step in one transaction: locks the handoff, checks the step is
 * still due (claimed, started or closed meanwhile: nothing happens — the
 * timer stopped), records the firing under its key (a second instance, or a
 * restart, finds it taken and does nothing), queues e-mail, changes the
 * handoff (marks it overdue, or releases it) and appends the event last.
 * Resolves true when it fired.
 */
export function fireStep(
  database: Database,
  due: DueStep,
  now: number,
  options: { mail: boolean },
): Promise<boolean> {
  const { handoffs, policyFirings, notificationOutbox } = database.tables;
  return database.write(async (tx) => {
    const where = and(eq(handoffs.id, due.handoffId), eq(handoffs.accountId, due.accountId));
    const [row] = await tx.forUpdate(tx.db.select().from(handoffs).where(where));
    if (!row || !stillDue(row, due, now)) return false;
    const taken = await tx.db
      .insert(policyFirings)
      .values({ handoffId: row.id, stepKey: stepKey(due), accountId: row.accountId, firedAt: now })
      .onConflictDoNothing()
      .returning({ key: policyFirings.stepKey });
    if (taken.length === 0) return false;

    const people = await audience(database, tx, row, due);
    const mailed = people.filter((person): person is { id: string; email: string } => Boolean(person.email));
    if (options.mail && mailed.length > 0) {
      const kind = due.action === 'remind' ? 'reminder' : 'overdue';
      const rows: OutboxInsert[] = mailed.map((person) => ({
        accountId: row.accountId,
        handoffId: row.id,
        recipientId: person.id,
        recipientEmail: person.email,
        kind,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      }));
      await tx.db.insert(notificationOutbox).values(rows);
    }
    const patch =
      due.action === 'release'
        ? { status: 'open' as const, claimedById: null, claimedByName: null, claimedAt: null }
        : due.rule === 'unclaimed'
          ? { overdueAt: sql`coalesce(${handoffs.overdueAt}, ${now})` }
          : {};
    const [updated] =
      Object.keys(patch).length > 0
        ? await tx.db.update(handoffs).set(patch).where(where).returning()
        : [row];
    const policy: PolicyFiring = {
      rule: due.rule,
      step: due.step,
      afterSeconds: due.afterSeconds,
      action: due.action,
      notified: people.map((person) => person.id),
    };
    const handoff = toHandoff(updated!);
    if (due.action === 'release') {
      await appendHandoffEvent(tx.hot, row.accountId, 'handoff.released', handoff, null, now, {
        reason: 'policy',
        policy,
      });
    } else {
      await appendHandoffEvent(tx.hot, row.accountId, 'handoff.overdue', handoff, null, now, { policy });
    }
    return true;
  });
}
