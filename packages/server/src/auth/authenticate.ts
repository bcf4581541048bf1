import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';
import { findUser, upsertUser } from '../domain/users.js';
import { API_KEY_PREFIX, ApiKeyCache } from './api-keys.js';
import { VerifiedTokenCache, verifyEmbedToken } from './embed-token.js';
import type { Principal } from './permissions.js';
import { SeenUsers } from './seen-users.js';

/** The header an API key uses to act as a user from the roster. */
export const ACTING_USER_HEADER = 'X-Acting-User';

const unauthorized = (message: string) =>
  new ApiError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer' } });

function bearerToken(header: string | undefined): string {
  if (!header) throw unauthorized('Send a token as Authorization: Bearer <token>');
  const match = /^Bearer +([^\s]+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>"');
  return match[1];
}

/**
 * Authenticates every request under it and sets `principal`. Embed tokens are
 * verified against the account's registered public keys; API keys are looked up
 * by hash and may act as a roster user through `X-Acting-User`.
 */
export function authenticate() {
  const seen = new SeenUsers();
  // Built on the first request: the database and clock arrive with the request's deps.
  let apiKeys: ApiKeyCache | undefined;
  let verifiedTokens: VerifiedTokenCache | undefined;
  return createMiddleware<AppEnv>(async function authenticateRequest(c, next) {
    const { database, clock, config, signingKeys } = c.get('deps');
    const token = bearerToken(c.req.header('Authorization'));
    let principal: Principal;

    if (token.startsWith(API_KEY_PREFIX)) {
      apiKeys ??= new ApiKeyCache(database, clock);
      const key = await apiKeys.find(token);
      if (!key) throw unauthorized('Unknown or revoked API key');
      let user: Principal['user'] = null;
      const actingId = c.req.header(ACTING_USER_HEADER);
      if (actingId) {
        const row = await findUser(database, key.accountId, actingId);
        if (!row) throw new ApiError(403, 'forbidden', `No user "${actingId}" in this account's roster`);
        user = { id: row.id, name: row.name, email: row.email, role: row.role };
      }
      principal = {
        kind: 'api_key',
        accountId: key.accountId,
        user,
        rateKey: `key:${key.id}`,
        expiresAt: null,
      };
    } else {
      verifiedTokens ??= new VerifiedTokenCache(clock);
      let verified = verifiedTokens.get(token);
      if (!verified) {
        verified = await verifyEmbedToken(token, signingKeys, {
          now: clock.now(),
          maxLifetimeSeconds: config.token.maxLifetimeSeconds,
          clockSkewSeconds: config.token.clockSkewSeconds,
        });
        verifiedTokens.set(token, verified);
      }
      const { claims } = verified;
      const user = { id: claims.sub, name: claims.name, email: claims.email ?? null, role: claims.role };
      // Known users (nearly every request) skip the call and its await.
      if (!seen.has(verified.accountId, user)) {
        await seen.record(verified.accountId, user, () =>
          upsertUser(database, verified.accountId, user, clock.now(), { keepExistingEmail: true }),
        );
      }
      principal = {
        kind: 'embed_token',
        accountId: verified.accountId,
        user,
        rateKey: `user:${verified.accountId}:${claims.sub}`,
        expiresAt: claims.exp * 1000,
      };
    }
    c.set('principal', principal);
    await next();
  });
}
