import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { expiringCache } from './expiring-cache.js';

/** Every API key starts with this, so a leaked one is easy to recognise and scan for. */
export const API_KEY_PREFIX = 'rf_sk_';

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Creates an API key for an account; the secret is returned once and stored hashed. */
export async function createApiKey(
  database: Database,
  accountId: string,
  name: string,
  now: number,
): Promise<{ id: string; secret: string }> {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const id = randomUUID();
  await database.write(({ db }) =>
    db.insert(database.tables.apiKeys).values({
      id,
      accountId,
      name,
      prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
      secretHash: hashSecret(secret),
      createdAt: now,
    }),
  );
  return { id, secret };
}

/** An API key as authentication sees it. */
export interface ApiKeyIdentity {
  id: string;
  accountId: string;
  name: string;
}

/** The live key with this secret, or null. Keys are 256-bit random, so a plain hash suffices. */
export async function findApiKey(database: Database, secret: string): Promise<ApiKeyIdentity | null> {
  const { apiKeys } = database.tables;
  const [row] = await database.db
    .select({ id: apiKeys.id, accountId: apiKeys.accountId, name: apiKeys.name })
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, hashSecret(secret)), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

/**
 * Remembers recent look-ups (found or not) for 30 s, so a host backend's burst
 * costs one hash and one query; a revoked key stops working within that window.
 */
export class ApiKeyCache {
  // Boxed: a key that was not found is remembered too, and the cache holds no null.
  private readonly _entries: LRUCache<string, { found: ApiKeyIdentity | null }>;

  constructor(
    private readonly _database: Database,
    clock: Clock,
    ttlMs = 30_000,
  ) {
    this._entries = expiringCache(clock, { max: 10_000, ttlMs });
  }

  /** The live key with this secret, or null (from the cache while it is fresh). */
  async find(secret: string): Promise<ApiKeyIdentity | null> {
    const cached = this._entries.get(secret);
    if (cached) return cached.found;
    const found = await findApiKey(this._database, secret);
    this._entries.set(secret, { found });
    return found;
  }
}
