import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { apiKeys } from '../db/schema.js';

/** Every API key starts with this, so a leaked one is easy to recognise and scan for. */
export const API_KEY_PREFIX = 'rf_sk_';

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Creates an API key for an account; the secret is returned once and stored hashed. */
export function createApiKey(
  database: Database,
  accountId: string,
  name: string,
  now: number,
): { id: string; secret: string } {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const id = randomUUID();
  database.write((db) =>
    db
      .insert(apiKeys)
      .values({
        id,
        accountId,
        name,
        prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
        secretHash: hashSecret(secret),
        createdAt: now,
      })
      .run(),
  );
  return { id, secret };
}

/** The live key with this secret, or null. Keys are 256-bit random, so a plain hash suffices. */
export function findApiKey(database: Database, secret: string) {
  return (
    database.db
      .select({ id: apiKeys.id, accountId: apiKeys.accountId, name: apiKeys.name })
      .from(apiKeys)
      .where(and(eq(apiKeys.secretHash, hashSecret(secret)), isNull(apiKeys.revokedAt)))
      .get() ?? null
  );
}
