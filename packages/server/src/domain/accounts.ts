import { randomUUID } from 'node:crypto';
import type { AccountSettings, UpdateAccountSettingsRequest } from '@resolutionflow/types';
import { eq } from 'drizzle-orm';
import { normaliseAccountId } from '../account-id.js';
import type { Database } from '../db/database.js';
import { accounts, accountSettings, accountStreams, type AccountRow } from '../db/schema.js';

/** Creates an account (an MSP) with its settings row and the head of its event sequence. */
export function createAccount(
  database: Database,
  input: { name: string; allowedOrigins?: string[]; id?: string },
  now: number,
): AccountRow {
  const id = normaliseAccountId(input.id ?? randomUUID());
  return database.write((db) => {
    const account = db.insert(accounts).values({ id, name: input.name, createdAt: now }).returning().get();
    db.insert(accountSettings)
      .values({ accountId: id, allowedOrigins: [...new Set(input.allowedOrigins ?? [])], updatedAt: now })
      .run();
    db.insert(accountStreams).values({ accountId: id }).run();
    return account;
  });
}

export function findAccount(database: Database, id: string): AccountRow | null {
  return (
    database.db
      .select()
      .from(accounts)
      .where(eq(accounts.id, normaliseAccountId(id)))
      .get() ?? null
  );
}

export function listAccounts(database: Database): AccountRow[] {
  return database.db.select().from(accounts).all();
}

/** The account's settings (every account has a row from creation). */
export function getSettings(database: Database, accountId: string): AccountSettings {
  const row = database.db
    .select()
    .from(accountSettings)
    .where(eq(accountSettings.accountId, accountId))
    .get();
  return {
    manualBaselineMinutes: row?.manualBaselineMinutes ?? null,
    allowedOrigins: row?.allowedOrigins ?? [],
  };
}

/** Applies the fields present in `patch`; absent fields stay as they are. */
export function updateSettings(
  database: Database,
  accountId: string,
  patch: UpdateAccountSettingsRequest,
  now: number,
): AccountSettings {
  database.write((db) => {
    const set: Partial<typeof accountSettings.$inferInsert> = { updatedAt: now };
    if (patch.manualBaselineMinutes !== undefined) set.manualBaselineMinutes = patch.manualBaselineMinutes;
    if (patch.allowedOrigins !== undefined) set.allowedOrigins = [...new Set(patch.allowedOrigins)];
    db.update(accountSettings).set(set).where(eq(accountSettings.accountId, accountId)).run();
  });
  return getSettings(database, accountId);
}
