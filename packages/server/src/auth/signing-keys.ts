import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { expiringCache } from './expiring-cache.js';

/** The only algorithm embed tokens may use. */
export const EMBED_TOKEN_ALG = 'ES256';

/** A freshly created key: the private half is returned once and never stored. */
export interface CreatedSigningKey {
  kid: string;
  accountId: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * Creates an ES256 key pair for an account, stores the public half and returns
 * both. The caller shows the private key once; the server cannot mint tokens.
 */
export async function createSigningKey(
  database: Database,
  accountId: string,
  now: number,
): Promise<CreatedSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(EMBED_TOKEN_ALG, { extractable: true });
  const kid = `rfk_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: EMBED_TOKEN_ALG, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: EMBED_TOKEN_ALG };
  await database.write(({ db }) =>
    db
      .insert(database.tables.signingKeys)
      .values({ kid, accountId, alg: EMBED_TOKEN_ALG, publicJwk, createdAt: now }),
  );
  return { kid, accountId, privateJwk, publicJwk };
}

/** Revokes a key: tokens signed with it stop verifying at once. */
export async function revokeSigningKey(database: Database, kid: string, now: number): Promise<boolean> {
  const { signingKeys } = database.tables;
  const revoked = await database.write(({ db }) =>
    db
      .update(signingKeys)
      .set({ revokedAt: now })
      .where(and(eq(signingKeys.kid, kid), isNull(signingKeys.revokedAt)))
      .returning({ kid: signingKeys.kid }),
  );
  return revoked.length === 1;
}

/** A verified public key and the account that owns it. */
export interface ResolvedKey {
  accountId: string;
  key: CryptoKey | Uint8Array;
}

/**
 * Looks up live public keys by `kid`, caching the imported key. Revocation is
 * seen within `ttlMs` (the cache is short-lived on purpose).
 */
export class SigningKeyResolver {
  // Boxed: an unknown kid is remembered too, and the cache holds no null.
  private readonly _cache: LRUCache<string, { found: ResolvedKey | null }>;

  constructor(
    private readonly _database: Database,
    clock: Clock,
    ttlMs = 30_000,
  ) {
    this._cache = expiringCache(clock, { max: 10_000, ttlMs });
  }

  /** The live key with this `kid` and its account, or null. */
  async resolve(kid: string): Promise<ResolvedKey | null> {
    const cached = this._cache.get(kid);
    if (cached) return cached.found;
    const { signingKeys } = this._database.tables;
    const [row] = await this._database.db
      .select()
      .from(signingKeys)
      .where(and(eq(signingKeys.kid, kid), isNull(signingKeys.revokedAt)));
    const found =
      row && row.alg === EMBED_TOKEN_ALG
        ? { accountId: row.accountId, key: await importJWK(row.publicJwk, EMBED_TOKEN_ALG) }
        : null;
    this._cache.set(kid, { found });
    return found;
  }
}
