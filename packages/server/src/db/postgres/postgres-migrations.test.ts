// PostgreSQL's migrations: applied at start under an advisory lock (N instances may start at once),
// a no-op when current, and giving exactly the tables and columns of the pg schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableColumns, getTableName, is, sql, Table } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../open-database.js';
import { createTestDatabase, type TestDatabase } from '../../test/pg-cluster.js';
import { queryRows } from '../../test/sql.js';
import { TEST_DIALECT } from '../../test/test-database.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from './postgres-database.js';
import * as schema from './schema.js';

const journal = JSON.parse(readFileSync(join(POSTGRES_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
  entries: unknown[];
};

let made: TestDatabase | undefined;
afterEach(() => made?.drop());

describe.runIf(TEST_DIALECT === 'postgres')('PostgreSQL migrations', () => {
  it('should migrate an empty database once when three instances start at the same moment', async () => {
    made = await createTestDatabase('migrate');
    const target = { dialect: 'postgres' as const, url: made.url };
    await Promise.all([migratePostgres(target), migratePostgres(target), migratePostgres(target)]);
    const database = await openDatabase(target);
    try {
      const applied = await queryRows<{ hash: string }>(
        database,
        sql`SELECT hash FROM drizzle.__drizzle_migrations`,
      );
      expect(applied).toHaveLength(journal.entries.length);
      const columns = await queryRows<{ table: string; column: string }>(
        database,
        sql`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
          WHERE table_schema = 'public'`,
      );
      for (const table of Object.values(schema).filter((value) => is(value, Table)) as Table[]) {
        const name = getTableName(table);
        const expected = Object.values(getTableColumns(table)).map((column) => column.name);
        const actual = columns.filter((row) => row.table === name).map((row) => row.column);
        expect(actual.sort(), name).toEqual(expected.sort());
      }
    } finally {
      await database.close();
    }
    await migratePostgres(target);
    const again = await openDatabase(target, { migrate: false });
    const count = await queryRows(again, sql`SELECT hash FROM drizzle.__drizzle_migrations`);
    await again.close();
    expect(count).toHaveLength(journal.entries.length);
  });

  it('should refuse an unreachable database in one line naming DATABASE_URL', async () => {
    const target = { dialect: 'postgres' as const, url: 'postgres://nobody@127.0.0.1:1/none' };
    await expect(openDatabase(target)).rejects.toThrow(
      /^Cannot open PostgreSQL at DATABASE_URL \(postgres:\/\/nobody@127\.0\.0\.1:1\/none\): /,
    );
  });
});
