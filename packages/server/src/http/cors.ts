import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { ACTING_USER_HEADER } from '../auth/authenticate.js';
import { ApiError } from '../errors.js';

function isSameOrigin(c: Context<AppEnv>, origin: string): boolean {
  const { publicUrl } = c.get('deps').config;
  return (
    origin === new URL(c.req.url).origin || (publicUrl !== undefined && origin === new URL(publicUrl).origin)
  );
}

/**
 * CORS headers for every origin some account allows (preflights carry no token),
 * exposing what the widget reads and allowing what it sends.
 */
export function accountCors() {
  return cors({
    origin: async (origin, c: Context<AppEnv>) =>
      origin && (isSameOrigin(c, origin) || (await c.get('deps').origins.allowedAnywhere(origin)))
        ? origin
        : null,
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', ACTING_USER_HEADER],
    exposeHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
}

/**
 * After authentication: a browser request from an origin the token's account has
 * not allowed is refused, even if another account allows that origin.
 */
export function requireAllowedOrigin() {
  return createMiddleware<AppEnv>(async function requireAllowedOriginMiddleware(c, next) {
    const origin = c.req.header('Origin');
    if (origin && !isSameOrigin(c, origin)) {
      const { accountId } = c.get('principal');
      if (!(await c.get('deps').origins.allowedFor(accountId, origin))) {
        throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this account`);
      }
    }
    await next();
  });
}
