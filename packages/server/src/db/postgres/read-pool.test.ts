// Streams and queue pages read through a pool of their own on PostgreSQL, so an instance whose
// writes hold every connection of its main pool still delivers what has committed. Reproduced by
// holding every connection of a two-connection main pool in an open transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../domain/accounts.js';
import { seedHandoff } from '../../test/harness.js';
import { openTestDatabase, TEST_DIALECT, type OpenTestDatabase } from '../../test/test-database.js';
import { postgresHotStatements } from './hot-statements.js';
import type { PostgresDatabase } from './postgres-database.js';
import * as schema from './schema.js';

const MAIN_POOL = 2;
let opened: OpenTestDatabase;
let dir: string;
beforeAll(async () => {
  if (TEST_DIALECT !== 'postgres') return;
  dir = mkdtempSync(join(tmpdir(), 'rf-read-pool-'));
  opened = await openTestDatabase(dir, { poolSize: MAIN_POOL });
});
afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Holds every connection of the main pool in an open transaction until `release()`. */
async function takeEveryWriteConnection(database: PostgresDatabase) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const entered: Promise<void>[] = [];
  const held: Promise<unknown>[] = [];
  for (let n = 0; n < MAIN_POOL; n++) {
    let enter!: () => void;
    entered.push(new Promise<void>((resolve) => (enter = resolve)));
    held.push(
      database.client.begin(async (sql) => {
        await sql`SELECT 1`;
        enter();
        await released;
      }),
    );
  }
  await Promise.all(entered);
  return async () => {
    release();
    await Promise.all(held);
  };
}

describe.runIf(TEST_DIALECT === 'postgres')('the read pool (PostgreSQL)', () => {
  it('should read events and queue pages while writes hold every connection of the main pool', async () => {
    const database = opened.database as PostgresDatabase;
    const account = await createAccount(database, { name: 'Read pool MSP' }, Date.now());
    const handoff = await seedHandoff(database, account.id);
    // The control: the same statements over the main pool, as they ran before the read pool.
    const control = postgresHotStatements(drizzle(database.client, { schema }));
    const releaseWrites = await takeEveryWriteConnection(database);
    let controlDone = false;
    const controlRead = control.eventsAfter(account.id, 0, 10).finally(() => (controlDone = true));
    try {
      const events = await database.hot.eventsAfter(account.id, 0, 10);
      expect(events.map((event) => [event.seq, event.type, event.handoffId])).toEqual([
        [1, 'handoff.created', handoff.id],
      ]);
      const page = await database.hot.queuePage(account.id, {
        statuses: ['open'],
        order: 'newest',
        limit: 10,
      });
      expect(page.map((row) => row.id)).toEqual([handoff.id]);
      // The main pool's read is still waiting for a connection behind the held transactions.
      expect(controlDone).toBe(false);
    } finally {
      await releaseWrites();
    }
    expect(await controlRead).toHaveLength(1);
  });
});
