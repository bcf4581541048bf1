import type { Context } from 'hono';
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

const ALLOW_METHODS = 'GET,POST,PUT,OPTIONS';
const ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Last-Event-ID', ACTING_USER_HEADER].join(',');
const EXPOSE_HEADERS = 'Retry-After,X-Request-Id';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS headers for every origin some account allows (preflights carry no token),
 * exposing what the widget reads and allowing what it sends.
 *
 * The headers hono's `cors()` sends, set differently: all of them before the
 * handler runs, never on `c.res`. Hono's reads `c.res` first and adds `Vary`
 * after the handler; each of those made hono copy the handler's response into a
 * web `Response`, which @hono/node-server then writes out through a body stream:
 * five `Response` objects per create (docs/performance.md, issue 13). Headers set
 * before the handler go into the lightweight response it writes directly.
 */
export function accountCors() {
  return createMiddleware<AppEnv>(async function accountCorsMiddleware(c, next) {
    const origin = c.req.header('Origin');
    const allowed =
      origin !== undefined &&
      origin !== '' &&
      (isSameOrigin(c, origin) || (await c.get('deps').origins.allowedAnywhere(origin)));
    if (allowed) c.header('Access-Control-Allow-Origin', origin);
    c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    // The answer depends on Origin, so no cache may hand it to another origin.
    c.header('Vary', 'Origin', { append: true });
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
      c.header('Access-Control-Allow-Methods', ALLOW_METHODS);
      c.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
      c.header('Vary', 'Access-Control-Request-Headers', { append: true });
      return c.body(null, 204);
    }
    await next();
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
