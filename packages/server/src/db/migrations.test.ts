import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { createAccount, findAccount } from '../domain/accounts.js';
import { TEST_DIALECT } from '../test/test-database.js';
import { migrateDatabase } from './open-database.js';
import * as schema from './schema.js';
import {
  openSqlite as openDatabase,
  SQLITE_MIGRATIONS as MIGRATIONS_FOLDER,
} from './sqlite/sqlite-database.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rf-migrations-'));
  path = join(dir, 'nested', 'fresh.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = Object.values(schema).filter((value) => is(value, SQLiteTable)) as SQLiteTable[];
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
  entries: unknown[];
};
const migrationsApplied = (sqlite: Sqlite.Database) =>
  (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;

// SQLite's own migrations and pragmas; PostgreSQL's are checked in postgres-migrations.test.ts.
describe.runIf(TEST_DIALECT === 'sqlite')('SQLite migrations', () => {
  it('should create every table and column of the schema in an empty database file', async () => {
    const database = openDatabase(path);
    try {
      const names = (
        database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
          name: string;
        }[]
      ).map((row) => row.name);
      expect(names).toEqual(
        expect.arrayContaining([
          '__drizzle_migrations',
          'accounts',
          'account_settings',
          'signing_keys',
          'api_keys',
          'users',
          'handoffs',
          'account_streams',
          'events',
          'notification_outbox',
          'idempotency_keys',
        ]),
      );
      for (const table of tables) {
        const config = getTableConfig(table);
        const columns = (database.sqlite.pragma(`table_info(${config.name})`) as { name: string }[]).map(
          (c) => c.name,
        );
        expect(columns.sort(), config.name).toEqual(config.columns.map((column) => column.name).sort());
      }
      expect(migrationsApplied(database.sqlite)).toBe(journal.entries.length);
    } finally {
      await database.close();
    }
  });

  it('should open with WAL, foreign keys on, synchronous FULL and a busy timeout', async () => {
    const database = openDatabase(path);
    try {
      expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(2);
      expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      expect(() =>
        database.sqlite
          .prepare('INSERT INTO account_settings (account_id, allowed_origins, updated_at) VALUES (?, ?, ?)')
          .run('no-such-account', '[]', 0),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      await database.close();
    }
    const raw = new Sqlite(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('should be a no-op on a second open and on migrate, keeping the data', async () => {
    const first = openDatabase(path);
    const account = await createAccount(
      first,
      { name: 'Northwind MSP', allowedOrigins: ['https://nw.example'] },
      1,
    );
    const applied = migrationsApplied(first.sqlite);
    const schemaSql = first.sqlite.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    await first.close();

    await migrateDatabase({ dialect: 'sqlite', path });
    const second = openDatabase(path);
    try {
      expect(migrationsApplied(second.sqlite)).toBe(applied);
      expect(second.sqlite.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaSql);
      expect(await findAccount(second, account.id)).toEqual(account);
    } finally {
      await second.close();
    }
  });
});
