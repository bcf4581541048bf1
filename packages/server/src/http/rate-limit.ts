import { createMiddleware } from 'hono/factory';
import { LRUCache } from 'lru-cache';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key: `burst` requests at once, refilled at `perSecond`.
 * At most `maxKeys` buckets are kept; a forgotten key starts again with a full one.
 * Counted in this process: with several instances, each keeps its own (DESIGN §10).
 */
export class TokenBuckets {
  private readonly _buckets: LRUCache<string, Bucket>;

  constructor(
    private readonly _burst: number,
    private readonly _perSecond: number,
    maxKeys = 100_000,
  ) {
    this._buckets = new LRUCache({ max: maxKeys });
  }

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, now: number): number {
    const bucket = this._buckets.get(key) ?? { tokens: this._burst, updatedAt: now };
    const refilled = Math.min(
      this._burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this._perSecond,
    );
    if (refilled < 1) {
      this._buckets.set(key, { tokens: refilled, updatedAt: now });
      return Math.max(1, Math.ceil((1 - refilled) / this._perSecond));
    }
    this._buckets.set(key, { tokens: refilled - 1, updatedAt: now });
    return 0;
  }
}

/** Limits writes (anything but GET/HEAD/OPTIONS) per credential; 429 with `Retry-After`. */
export function rateLimitWrites(options: { burst: number; perSecond: number }) {
  const buckets = new TokenBuckets(options.burst, options.perSecond);
  return createMiddleware<AppEnv>(async function rateLimitWritesMiddleware(c, next) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const retryAfter = buckets.take(c.get('principal').rateKey, c.get('deps').clock.now());
      if (retryAfter > 0) {
        throw new ApiError(429, 'rate_limited', `Too many writes; retry in ${retryAfter} s`, {
          details: { retryAfter },
          headers: { 'Retry-After': String(retryAfter) },
        });
      }
    }
    await next();
  });
}
