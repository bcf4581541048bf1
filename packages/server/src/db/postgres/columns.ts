import { getTableColumns } from 'drizzle-orm';
import { handoffs } from './schema.js';

/** Row keys with their column names, and the quoted column list for SQL. */
export function columnsOf<K extends string>(
  table: Parameters<typeof getTableColumns>[0],
  keys?: readonly K[],
) {
  const all = Object.entries(getTableColumns(table)) as unknown as [K, { name: string }][];
  const pairs = all
    .filter(([key]) => !keys || keys.includes(key))
    .map(([key, column]) => [key, column.name] as const);
  return { pairs, list: pairs.map(([, name]) => `"${name}"`).join(', ') };
}

/** Every column of `handoffs`. */
export const HANDOFF = columnsOf(handoffs);

/**
 * Rows as one JSON array of records keyed by column name, for
 * `json_populate_recordset`: one parameter, the same statement text whatever
 * the number of rows, so postgres.js prepares it once per connection.
 */
export const records = <K extends string>(
  rows: readonly Partial<Record<K, unknown>>[],
  pairs: readonly (readonly [K, string])[],
) => JSON.stringify(rows.map((row) => Object.fromEntries(pairs.map(([key, name]) => [name, row[key]]))));
