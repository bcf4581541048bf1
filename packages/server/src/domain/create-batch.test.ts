import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import type { CreatesWrite, Database } from '../db/database.js';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';
import { queryRows } from '../test/sql.js';
import { CreateBatcher } from './create-batcher.js';
import { IdempotencyKeyTaken } from './idempotency.js';
import { upsertUser } from './users.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
  for (const account of [world.a.id, world.b.id]) {
    for (const id of ['e1', 'ad']) {
      const role = id === 'e1' ? 'engineer' : 'admin';
      await upsertUser(world.database, account, { id, name: id, role, email: `${id}@msp.example` }, 1);
    }
  }
});
afterEach(() => world.close());

const input = CreateHandoffRequestSchema.parse(escalation());

/**
 * The database, counting its batch writes and the savepoints its write transactions open (to tell
 * the two paths apart); `afterBatch` runs after each batch write that succeeded (to make it fail).
 */
function counting(database: Database, afterBatch?: () => void) {
  let savepoints = 0;
  let batches = 0;
  const counted: Database = Object.create(database) as Database;
  Object.defineProperty(counted, 'write', {
    value: <T>(work: Parameters<Database['write']>[0]) =>
      database.write((tx) =>
        work({
          ...tx,
          savepoint: (inner) => {
            savepoints++;
            return tx.savepoint(inner);
          },
        }),
      ) as Promise<T>,
  });
  Object.defineProperty(counted, 'writeCreates', {
    value: async (creates: CreatesWrite) => {
      batches++;
      const numbers = await database.writeCreates(creates);
      afterBatch?.();
      return numbers;
    },
  });
  return { database: counted, savepoints: () => savepoints, batches: () => batches };
}

/** One batch of creates: [account, title, creator, idempotency key?]; settled outcomes as seq or error name. */
async function batch(database: Database, creates: [string, string, string, string?][]) {
  const batcher = new CreateBatcher(database, world.deps.bus);
  const outcomes = await Promise.allSettled(
    creates.map(([accountId, title, creator, key]) =>
      batcher.create({
        accountId,
        actor: { id: creator, name: creator },
        input: { ...input, title },
        initialAssessment: { status: 'disabled' },
        now: 1,
        notify: true,
        idempotency: key ? { key, fingerprint: title } : undefined,
      }),
    ),
  );
  return outcomes.map((o) =>
    o.status === 'fulfilled'
      ? o.value.eventSeq
      : (o.reason as Error) instanceof IdempotencyKeyTaken
        ? 'taken'
        : 'failed',
  );
}

/** Per account, the titles of its events in sequence order and the outbox's (title, recipient) pairs. */
async function stored(accountId: string) {
  const events = await queryRows<{ seq: number; data: string }>(
    world.database,
    sql`SELECT seq, data FROM events WHERE account_id = ${accountId} ORDER BY seq`,
  );
  const outbox = await queryRows<{ title: string; recipient: string }>(
    world.database,
    sql`SELECT h.title, o.recipient_id AS recipient FROM notification_outbox o
      JOIN handoffs h ON h.id = o.handoff_id WHERE o.account_id = ${accountId}
      ORDER BY h.title, o.recipient_id`,
  );
  return {
    events: events.map((row) => [
      Number(row.seq),
      (JSON.parse(row.data) as { handoff: { title: string } }).handoff.title,
    ]),
    outbox: outbox.map((row) => `${row.title}→${row.recipient}`),
  };
}

describe('group commit: the batch fast path and its fallback', () => {
  it('should write a batch in one batch write and no savepoint, mail each team but the creator', async () => {
    const { database, savepoints, batches } = counting(world.database);
    const seqs = await batch(database, [
      [world.a.id, 'a1', 'e1'],
      [world.b.id, 'b1', 'tech'],
      [world.a.id, 'a2', 'ad'],
    ]);
    expect(seqs).toEqual([1, 1, 2]);
    expect(batches()).toBe(1);
    expect(savepoints()).toBe(0);
    expect(await stored(world.a.id)).toEqual({
      events: [
        [1, 'a1'],
        [2, 'a2'],
      ],
      outbox: ['a1→ad', 'a2→e1'],
    });
    expect(await stored(world.b.id)).toEqual({ events: [[1, 'b1']], outbox: ['b1→ad', 'b1→e1'] });
  });

  it('should redo a failing batch one create at a time: the failing ones fail alone, the others commit densely numbered', async () => {
    const { database, savepoints, batches } = counting(world.database);
    const seqs = await batch(database, [
      [world.b.id, 'b1', 'tech'],
      [world.a.id, 'a1', 'tech', 'key-1'],
      ['no-such-account', 'fails alone', 'tech'],
      [world.a.id, 'a2', 'e1'],
      [world.a.id, 'a3', 'tech', 'key-1'],
      [world.b.id, 'b2', 'ad'],
    ]);
    expect(seqs).toEqual([1, 1, 'failed', 2, 'taken', 2]);
    // The batch write of the four without a key, refused whole; then one savepoint for each of the six.
    expect(batches()).toBe(1);
    expect(savepoints()).toBe(6);
    expect(await stored(world.a.id)).toEqual({
      events: [
        [1, 'a1'],
        [2, 'a2'],
      ],
      outbox: ['a1→ad', 'a1→e1', 'a2→ad'],
    });
    expect(await stored(world.b.id)).toEqual({
      events: [
        [1, 'b1'],
        [2, 'b2'],
      ],
      outbox: ['b1→ad', 'b1→e1', 'b2→e1'],
    });
    const handoffs = await queryRows(world.database, sql`SELECT id FROM handoffs`);
    expect(handoffs).toHaveLength(4);
  });

  it('should not redo a batch whose write may have committed (a failed COMMIT): each create written once', async () => {
    const lost = new Error('connection lost during COMMIT');
    const { database, savepoints, batches } = counting(world.database, () => {
      throw lost;
    });
    const seqs = await batch(database, [
      [world.a.id, 'a1', 'tech'],
      [world.b.id, 'b1', 'tech'],
    ]);
    expect(seqs).toEqual(['failed', 'failed']);
    expect(batches()).toBe(1);
    expect(savepoints()).toBe(0);
    // Committed once (the failure came after), not written again one at a time.
    expect(await queryRows(world.database, sql`SELECT id FROM handoffs`)).toHaveLength(2);
    expect((await stored(world.a.id)).events).toEqual([[1, 'a1']]);
  });
});
