import type { Role, User } from '@resolutionflow/types';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { UserRow } from '../db/schema.js';

/** A person as a token or the roster describes them. */
export interface UserInput {
  id: string;
  name: string;
  email: string | null;
  role: Role;
}

/** Inserts or updates a user of an account, in its own write. */
export async function upsertUser(
  database: Database,
  accountId: string,
  input: UserInput,
  now: number,
  options: { keepExistingEmail?: boolean } = {},
): Promise<UserRow> {
  const { users } = database.tables;
  const [row] = await database.write(({ db }) =>
    db
      .insert(users)
      .values({ accountId, ...input, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [users.accountId, users.id],
        set: {
          name: input.name,
          // A token without an email must not erase the address the roster sync gave.
          email: options.keepExistingEmail ? sql`coalesce(excluded.email, ${users.email})` : input.email,
          role: input.role,
          updatedAt: now,
        },
      })
      .returning(),
  );
  return row!;
}

export async function findUser(database: Database, accountId: string, id: string): Promise<UserRow | null> {
  const { users } = database.tables;
  const [row] = await database.db
    .select()
    .from(users)
    .where(and(eq(users.accountId, accountId), eq(users.id, id)));
  return row ?? null;
}

/** The wire shape of a user. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
