import { RoleSchema, externalId, lineText } from '@resolutionflow/types';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';
import { expiringCache } from './expiring-cache.js';
import { EMBED_TOKEN_ALG, type SigningKeyResolver } from './signing-keys.js';

/** The shape of the key ids this server issues (`rfk_` and 20 hex digits), with room to change. */
const KID = /^[A-Za-z0-9_-]{1,100}$/;

/** The `aud` every embed token must carry. */
export const EMBED_TOKEN_AUDIENCE = 'resolutionflow';

const ClaimsSchema = z.object({
  sub: externalId,
  role: RoleSchema,
  name: lineText(1, 200),
  email: z.email().max(320).optional(),
  exp: z.number(),
  iat: z.number().optional(),
  nbf: z.number().optional(),
});

/** What a verified embed token says, and which account's key verified it. */
export interface VerifiedEmbedToken {
  accountId: string;
  kid: string;
  claims: z.infer<typeof ClaimsSchema>;
}

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/**
 * Verifies an embed token per DESIGN §4: `alg` pinned to ES256, the key chosen
 * by `kid` among registered public keys (never one carried by the token), `aud`
 * and `exp` required, lifetime capped, `nbf`/`iat` honoured with a small skew.
 * The account is the owner of the key that verified — never a claim.
 */
export async function verifyEmbedToken(
  token: string,
  keys: SigningKeyResolver,
  options: { now: number; maxLifetimeSeconds: number; clockSkewSeconds: number },
): Promise<VerifiedEmbedToken> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw unauthorized('The token is not a well-formed JWT');
  }
  if (header.alg !== EMBED_TOKEN_ALG) throw unauthorized(`Tokens must be signed with ${EMBED_TOKEN_ALG}`);
  if (typeof header.kid !== 'string' || header.kid.length === 0) {
    throw unauthorized('The token header has no kid');
  }
  // Looked up in the database: anything but a key id (a NUL, say, which PostgreSQL refuses) is unknown.
  if (!KID.test(header.kid)) throw unauthorized('The token was signed with an unknown or revoked key');
  const resolved = await keys.resolve(header.kid);
  if (!resolved) throw unauthorized('The token was signed with an unknown or revoked key');

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, resolved.key, {
      algorithms: [EMBED_TOKEN_ALG],
      audience: EMBED_TOKEN_AUDIENCE,
      clockTolerance: options.clockSkewSeconds,
      currentDate: new Date(options.now),
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new ApiError(401, 'token_expired', 'The token has expired; fetch a fresh one');
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw unauthorized(`The token's ${error.claim} claim is not acceptable`);
    }
    throw unauthorized('The token signature or claims are invalid');
  }

  const parsed = ClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
    throw unauthorized(`The token's claims are invalid: ${fields.join(', ')}`);
  }
  const claims = parsed.data;
  const nowSeconds = options.now / 1000;
  const cap = options.maxLifetimeSeconds + options.clockSkewSeconds;
  const issuedAt = claims.iat ?? claims.nbf ?? nowSeconds;
  if (claims.exp - issuedAt > cap || claims.exp - nowSeconds > cap) {
    throw unauthorized(`Token lifetime exceeds ${options.maxLifetimeSeconds} seconds`);
  }
  return { accountId: resolved.accountId, kid: header.kid, claims };
}

/**
 * Remembers tokens that verified, so a user's burst of requests costs one
 * signature check. An entry lives until the token expires or 30 s pass
 * (the same window in which a key revocation takes effect).
 */
export class VerifiedTokenCache {
  private readonly _entries: LRUCache<string, VerifiedEmbedToken>;

  constructor(
    private readonly _clock: Clock,
    private readonly _ttlMs = 30_000,
    maxEntries = 10_000,
  ) {
    this._entries = expiringCache(_clock, { max: maxEntries, ttlMs: _ttlMs });
  }

  /** The verified token, while its entry is fresh. */
  get(token: string): VerifiedEmbedToken | undefined {
    return this._entries.get(token);
  }

  /** Remembers a token that verified, never past its own expiry. */
  set(token: string, value: VerifiedEmbedToken): void {
    const ttl = Math.min(value.claims.exp * 1000 - this._clock.now(), this._ttlMs);
    // Accepted within the clock skew but already past `exp`: verify it again next time.
    if (ttl > 0) this._entries.set(token, value, { ttl });
  }
}
