// The out-of-order-commit trap (research/scale-out.md §1): sequence and identity values are taken
// before COMMIT, so a reader "after N" can move past an id that commits later and never see it.
// Events are numbered from the account's head row instead, which stays locked until COMMIT; this
// reproduces the trap with two writers and shows the head row closes it, while a plain identity
// column (the negative control) fails the same check.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import type { Database } from '../database.js';
import { createAccount } from '../../domain/accounts.js';
import { allEventsAfter, appendEvents } from '../../domain/events.js';
import { createHandoff, getHandoff } from '../../domain/handoffs.js';
import { escalation } from '../../test/harness.js';
import { execute, queryRows } from '../../test/sql.js';
import { gate, postgresDatabaseForFile, someoneWaitsForALock } from '../../test/pg-locks.js';
import { TEST_DIALECT } from '../../test/test-database.js';

const databaseOfFile = postgresDatabaseForFile();
let database: Database;
beforeAll(() => {
  if (TEST_DIALECT === 'postgres') database = databaseOfFile();
});

/**
 * The check: a reader that moves its cursor to the highest id it has seen, reading once while the
 * first writer is still open and once after both committed, sees every committed id.
 */
function skipped(committed: number[], firstRead: number[], secondRead: number[]): number[] {
  const seen = new Set([...firstRead, ...secondRead]);
  return committed.filter((id) => !seen.has(id));
}

const input = CreateHandoffRequestSchema.parse(escalation());
const alex = { id: 'alex', name: 'Alex' };

describe.runIf(TEST_DIALECT === 'postgres')('the out-of-order-commit trap on PostgreSQL', () => {
  it('should never let a reader skip an event whose writer commits after a later one (head row)', async () => {
    const account = await createAccount(database, { name: 'Order MSP' }, 1);
    const seeded = await createHandoff(database, account.id, alex, input, { status: 'disabled' }, 1);
    const handoff = await getHandoff(database, account.id, seeded.handoff.id);
    const hold = gate();
    const appended = gate();
    // Writer 1 takes its number, then stays open.
    const first = database.write(async (tx) => {
      const draft = { type: 'handoff.claimed' as const, handoff, actor: alex, now: 2 };
      const [seq] = await appendEvents(tx.hot, account.id, [draft]);
      appended.open();
      await hold.opened;
      return seq!;
    });
    await appended.opened;
    // Writer 2 cannot take the next number, let alone commit, while writer 1 is open.
    const second = createHandoff(database, account.id, alex, input, { status: 'disabled' }, 3);
    await someoneWaitsForALock(database);
    const firstRead = (await allEventsAfter(database, account.id, 1, 100)).map((row) => row.seq);
    const cursor = Math.max(1, ...firstRead);
    hold.open();
    const committed = [await first, (await second).eventSeq!];
    const secondRead = (await allEventsAfter(database, account.id, cursor, 100)).map((row) => row.seq);
    expect(committed).toEqual([2, 3]);
    expect(firstRead).toEqual([]);
    expect(skipped(committed, firstRead, secondRead)).toEqual([]);
  });

  it('should fail the same check with a plain identity column (negative control)', async () => {
    await execute(
      database,
      sql`CREATE TABLE identity_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text NOT NULL)`,
    );
    const hold = gate();
    const inserted = gate();
    const first = database.write(async ({ db }) => {
      const [row] = (await (db as unknown as { execute(q: unknown): Promise<{ id: string }[]> }).execute(
        sql`INSERT INTO identity_events (note) VALUES ('first') RETURNING id`,
      )) as { id: string }[];
      inserted.open();
      await hold.opened;
      return Number(row!.id);
    });
    await inserted.opened;
    // Nothing makes writer 2 wait: it takes id 2 and commits while id 1 is still open.
    const [second] = await queryRows<{ id: string }>(
      database,
      sql`INSERT INTO identity_events (note) VALUES ('second') RETURNING id`,
    );
    const readAfter = async (after: number) =>
      (
        await queryRows<{ id: string }>(
          database,
          sql`SELECT id FROM identity_events WHERE id > ${after} ORDER BY id`,
        )
      ).map((row) => Number(row.id));
    const firstRead = await readAfter(0);
    const cursor = Math.max(0, ...firstRead);
    hold.open();
    const committed = [await first, Number(second!.id)];
    const secondRead = await readAfter(cursor);
    expect(firstRead).toEqual([2]);
    expect(skipped(committed, firstRead, secondRead)).toEqual([1]);
  });
});
