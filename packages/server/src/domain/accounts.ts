import { randomUUID } from 'node:crypto';
import {
  DEFAULT_ESCALATION_POLICY,
  type AccountSettings,
  type UpdateAccountSettingsRequest,
} from '@resolutionflow/types';
import { eq } from 'drizzle-orm';
import { normaliseAccountId } from '../account-id.js';
import type { Database } from '../db/database.js';
import type { AccountRow } from '../db/schema.js';

/** Creates an account (an MSP) with its settings row and the head of its event sequence. */
export function createAccount(
  database: Database,
  input: { name: string; allowedOrigins?: string[]; id?: string },
  now: number,
): Promise<AccountRow> {
  const id = normaliseAccountId(input.id ?? randomUUID());
  const { accounts, accountSettings, accountStreams } = database.tables;
  return database.write(async ({ db }) => {
    const [account] = await db.insert(accounts).values({ id, name: input.name, createdAt: now }).returning();
    await db
      .insert(accountSettings)
      .values({ accountId: id, allowedOrigins: [...new Set(input.allowedOrigins ?? [])], updatedAt: now });
    await db.insert(accountStreams).values({ accountId: id });
    return account!;
  });
}

export async function findAccount(database: Database, id: string): Promise<AccountRow | null> {
  const { accounts } = database.tables;
  const [row] = await database.db
    .select()
    .from(accounts)
    .where(eq(accounts.id, normaliseAccountId(id)));
  return row ?? null;
}

export function listAccounts(database: Database): Promise<AccountRow[]> {
  return database.db.select().from(database.tables.accounts);
}

/** The account's settings (every account has a row from creation). */
export async function getSettings(database: Database, accountId: string): Promise<AccountSettings> {
  const { accountSettings } = database.tables;
  const [row] = await database.db
    .select()
    .from(accountSettings)
    .where(eq(accountSettings.accountId, accountId));
  return {
    manualBaselineMinutes: row?.manualBaselineMinutes ?? null,
    allowedOrigins: row?.allowedOrigins ?? [],
    policy: row?.policy ?? DEFAULT_ESCALATION_POLICY,
    policyIsDefault: !row?.policy,
  };
}

/** Applies the fields present in `patch`; absent fields stay as they are. */
export async function updateSettings(
  database: Database,
  accountId: string,
  patch: UpdateAccountSettingsRequest,
  now: number,
): Promise<AccountSettings> {
  const { accountSettings } = database.tables;
  await database.write(async ({ db }) => {
    const set: Partial<typeof accountSettings.$inferInsert> = { updatedAt: now };
    if (patch.manualBaselineMinutes !== undefined) set.manualBaselineMinutes = patch.manualBaselineMinutes;
    if (patch.allowedOrigins !== undefined) set.allowedOrigins = [...new Set(patch.allowedOrigins)];
    if (patch.policy !== undefined) set.policy = patch.policy;
    await db.update(accountSettings).set(set).where(eq(accountSettings.accountId, accountId));
  });
  return getSettings(database, accountId);
}
