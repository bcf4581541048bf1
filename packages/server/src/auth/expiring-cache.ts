import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

/**
 * A size-capped LRU cache whose entries expire `ttlMs` after they were set,
 * measured on the app's clock (so a test's clock decides, as it does for the
 * tokens themselves). Auth caches use it to keep their promise: a revoked key
 * stops working within `ttlMs`.
 *
 * @example
 * const keys = expiringCache<string, { found: ResolvedKey | null }>(clock, { max: 10_000, ttlMs: 30_000 });
 */
export function expiringCache<K extends string, V extends object>(
  clock: Clock,
  options: { max: number; ttlMs: number },
): LRUCache<K, V> {
  // ttlResolution 0: read the clock on every look-up rather than trust a reading up to 1 ms old.
  return new LRUCache<K, V>({ max: options.max, ttl: options.ttlMs, perf: clock, ttlResolution: 0 });
}
