import { createHash } from 'node:crypto';
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';

/** How long a key answers with its first result (DESIGN §5: 24 h). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A create sent with an `Idempotency-Key`: the key and a fingerprint of what it asked for. */
export interface IdempotentRequest {
  key: string;
  fingerprint: string;
}

/** The first answer given under a key, replayed byte for byte to every retry. */
export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: string;
}

/**
 * Thrown inside a create's savepoint when another create holds the key (one
 * committed earlier, or one earlier in the same group commit): the savepoint
 * rolls back, and the caller answers with the stored answer instead.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('The Idempotency-Key is already taken');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** A stable digest of a validated request body: the same request always gives the same one. */
export function fingerprintOf(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('base64url');
}

/** The answer first given under `key` in the account within the window, if any. */
export async function findAnswer(
  database: Database,
  accountId: string,
  key: string,
  now: number,
): Promise<StoredAnswer | undefined> {
  const { idempotencyKeys } = database.tables;
  const [answer] = await database.db
    .select({
      fingerprint: idempotencyKeys.fingerprint,
      status: idempotencyKeys.status,
      body: idempotencyKeys.body,
    })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.accountId, accountId),
        eq(idempotencyKeys.key, key),
        gt(idempotencyKeys.createdAt, now - IDEMPOTENCY_WINDOW_MS),
      ),
    );
  return answer;
}

/**
 * Stores the answer to a create under its key, in the create's transaction, so
 * the key and the handoff commit together. An expired row of the same key
 * gives way; a live one (the unique index on account and key decides, on any
 * instance) throws {@link IdempotencyKeyTaken}.
 */
export async function recordAnswer(
  database: Database,
  tx: Tx,
  accountId: string,
  request: IdempotentRequest,
  answer: { handoffId: string; status: number; body: string },
  now: number,
): Promise<void> {
  const { idempotencyKeys } = database.tables;
  const sameKey = and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, request.key));
  await tx.db
    .delete(idempotencyKeys)
    .where(and(sameKey, lte(idempotencyKeys.createdAt, now - IDEMPOTENCY_WINDOW_MS)));
  const inserted = await tx.db
    .insert(idempotencyKeys)
    .values({ accountId, key: request.key, fingerprint: request.fingerprint, ...answer, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) throw new IdempotencyKeyTaken();
}

/** Deletes keys past the window (run beside event retention); returns how many. */
export async function pruneIdempotencyKeys(database: Database, now: number): Promise<number> {
  const { idempotencyKeys } = database.tables;
  const removed = await database.write((tx) =>
    tx.db
      .delete(idempotencyKeys)
      .where(lte(idempotencyKeys.createdAt, now - IDEMPOTENCY_WINDOW_MS))
      .returning({ key: idempotencyKeys.key }),
  );
  return removed.length;
}
