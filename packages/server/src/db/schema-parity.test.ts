// One set of repositories serves both dialects because the two schemas describe the same tables:
// same names, same columns, and the same inferred row types (checked by the type checker through
// expectTypeOf, which `npm run lint` runs on the tests).
import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pg from './postgres/schema.js';
import * as sqlite from './schema.js';

type Rows<S> = { [K in keyof S]: S[K] extends Table ? S[K]['$inferSelect'] : never };
type Inserts<S> = { [K in keyof S]: S[K] extends Table ? S[K]['$inferInsert'] : never };

const tablesOf = (schema: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(schema)
      .filter(([, value]) => is(value, Table))
      .map(([key, table]) => [
        key,
        {
          name: getTableName(table as Table),
          columns: Object.values(getTableColumns(table as Table))
            .map((column) => `${column.name}${column.notNull ? ' not null' : ''}`)
            .sort(),
        },
      ]),
  );

describe('the SQLite and PostgreSQL schemas', () => {
  it('should infer the same row and insert types for every table', () => {
    expectTypeOf<Rows<typeof pg>>().toEqualTypeOf<Rows<typeof sqlite>>();
    expectTypeOf<Inserts<typeof pg>>().toEqualTypeOf<Inserts<typeof sqlite>>();
  });

  it('should name the same tables and columns, with the same nullability', () => {
    const tables = tablesOf(sqlite);
    expect(Object.keys(tables).length).toBeGreaterThanOrEqual(10);
    expect(tablesOf(pg)).toEqual(tables);
  });
});
