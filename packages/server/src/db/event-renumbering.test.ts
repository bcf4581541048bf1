import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { createAccount } from '../domain/accounts.js';
import { createHandoff } from '../domain/handoffs.js';
import { escalation } from '../test/harness.js';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { TEST_DIALECT } from '../test/test-database.js';
import {
  openSqlite as openDatabase,
  SQLITE_MIGRATIONS as MIGRATIONS_FOLDER,
} from './sqlite/sqlite-database.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rf-renumber-'));
  path = join(dir, 'old.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database as the first release left it: only `0000_init` applied. */
function openAtInit(): Sqlite.Database {
  const folder = join(dir, 'migrations-0000');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((entry) => entry.tag === '0000_init');
  writeFileSync(journalPath, JSON.stringify(journal));
  const sqlite = new Sqlite(path);
  sqlite.pragma('foreign_keys = ON');
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  return sqlite;
}

/** Old-style events: one global sequence, accounts interleaved, some pruned (holes), as the old server wrote them. */
function seedOldEvents(sqlite: Sqlite.Database): void {
  const account = sqlite.prepare('INSERT INTO accounts (id, name, created_at) VALUES (?, ?, 0)');
  const settings = sqlite.prepare(
    "INSERT INTO account_settings (account_id, allowed_origins, events_pruned_through, updated_at) VALUES (?, '[]', ?, 0)",
  );
  for (const [id, pruned] of [
    ['acct-a', 3],
    ['acct-b', 0],
    ['acct-quiet', 0],
  ] as const) {
    account.run(id, id);
    settings.run(id, pruned);
  }
  const event = sqlite.prepare(
    "INSERT INTO events (seq, account_id, type, handoff_id, data, created_at) VALUES (?, ?, 'handoff.created', ?, '{}', 0)",
  );
  // Global ids 1–3 of acct-a were pruned; what is left has holes and interleaves.
  for (const [seq, accountId] of [
    [4, 'acct-a'],
    [5, 'acct-b'],
    [7, 'acct-a'],
    [8, 'acct-a'],
    [9, 'acct-b'],
    [12, 'acct-a'],
  ] as const) {
    event.run(seq, accountId, `old-${seq}`);
  }
}

// A SQLite file from the first release: PostgreSQL deployments began with per-account sequences.
describe.runIf(TEST_DIALECT === 'sqlite')('the migration to per-account event sequences', () => {
  it('should renumber existing events densely per account, in their old order, under epoch 2', async () => {
    const old = openAtInit();
    seedOldEvents(old);
    old.close();

    const database = openDatabase(path);
    try {
      const rows = database.sqlite
        .prepare(
          'SELECT account_id AS accountId, seq, handoff_id AS was FROM events ORDER BY account_id, seq',
        )
        .all();
      expect(rows).toEqual([
        { accountId: 'acct-a', seq: 1, was: 'old-4' },
        { accountId: 'acct-a', seq: 2, was: 'old-7' },
        { accountId: 'acct-a', seq: 3, was: 'old-8' },
        { accountId: 'acct-a', seq: 4, was: 'old-12' },
        { accountId: 'acct-b', seq: 1, was: 'old-5' },
        { accountId: 'acct-b', seq: 2, was: 'old-9' },
      ]);
      const heads = database.sqlite
        .prepare(
          'SELECT account_id AS accountId, epoch, last_seq AS lastSeq, pruned_through AS prunedThrough FROM account_streams ORDER BY account_id',
        )
        .all();
      // Every old id, bare or not, belongs to another numbering: epoch 2 resets them all.
      expect(heads).toEqual([
        { accountId: 'acct-a', epoch: 2, lastSeq: 4, prunedThrough: 0 },
        { accountId: 'acct-b', epoch: 2, lastSeq: 2, prunedThrough: 0 },
        { accountId: 'acct-quiet', epoch: 2, lastSeq: 0, prunedThrough: 0 },
      ]);
    } finally {
      await database.close();
    }
  });

  it('should continue each migrated sequence and start new accounts at epoch 1', async () => {
    const old = openAtInit();
    seedOldEvents(old);
    old.close();

    const database = openDatabase(path);
    try {
      const input = CreateHandoffRequestSchema.parse(escalation());
      const append = async (accountId: string) =>
        (
          await createHandoff(
            database,
            accountId,
            { id: 'tech', name: 'Tech' },
            input,
            { status: 'disabled' },
            1,
          )
        ).eventSeq;
      const seqs = [];
      for (const accountId of ['acct-a', 'acct-b', 'acct-quiet', 'acct-a'])
        seqs.push(await append(accountId));
      expect(seqs).toEqual([5, 3, 1, 6]);
      const fresh = await createAccount(database, { name: 'After the upgrade' }, 1);
      expect(await append(fresh.id)).toBe(1);
      expect(
        database.sqlite
          .prepare('SELECT epoch FROM account_streams WHERE account_id = ?')
          .pluck()
          .get(fresh.id),
      ).toBe(1);
    } finally {
      await database.close();
    }
  });
});
