/**
 * Minting embed tokens, for host backends. Imports only `jose`, so a portal's
 * backend can use it without the rest of the server:
 *
 * @example
 * ```ts
 * import { createEmbedToken } from '@resolutionflow/server/token';
 * const token = await createEmbedToken({
 *   privateKey: JSON.parse(process.env.RF_PRIVATE_KEY!), // the JWK printed by `keys create`
 *   user: { id: 'u-42', name: 'Sam Rivera', email: 'sam@msp.example' },
 *   role: 'engineer',
 *   ttl: 600,
 * });
 * ```
 */
import { importJWK, importPKCS8, SignJWT, type CryptoKey, type JWK } from 'jose';

/** Roles a token can carry, least to most privileged. */
export type EmbedRole = 'viewer' | 'technician' | 'engineer' | 'admin';

export interface CreateEmbedTokenOptions {
  /** The account's private signing key: the JWK printed by `keys create`, a PKCS#8 PEM, or a CryptoKey. */
  privateKey: JWK | string | CryptoKey;
  /** The key id; optional when `privateKey` is a JWK carrying `kid`. */
  kid?: string;
  /** The person using the widget. `id` must be stable: it is how the server knows them. */
  user: { id: string; name: string; email?: string };
  role: EmbedRole;
  /** Lifetime in seconds; default 600, at most 3600 (the server refuses longer). */
  ttl?: number;
  /** Issue time override in seconds since the epoch (tests). */
  now?: number;
}

/** The audience the server requires. */
export const EMBED_TOKEN_AUDIENCE = 'resolutionflow';

/** Signs a short-lived ES256 embed token for one user of the key's account. */
export async function createEmbedToken(options: CreateEmbedTokenOptions): Promise<string> {
  const ttl = options.ttl ?? 600;
  if (!Number.isFinite(ttl) || ttl <= 0 || ttl > 3600) {
    throw new RangeError('ttl must be between 1 and 3600 seconds');
  }
  const { privateKey } = options;
  const kid =
    options.kid ?? (typeof privateKey === 'object' && 'kty' in privateKey ? privateKey.kid : undefined);
  if (!kid)
    throw new TypeError('kid is required (or pass the JWK printed by `keys create`, which carries it)');
  const key =
    typeof privateKey === 'string'
      ? await importPKCS8(privateKey, 'ES256')
      : 'kty' in privateKey
        ? await importJWK(privateKey, 'ES256')
        : privateKey;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, string> = { role: options.role, name: options.user.name };
  if (options.user.email) claims.email = options.user.email;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setSubject(options.user.id)
    .setAudience(EMBED_TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .setJti(crypto.randomUUID())
    .sign(key);
}
