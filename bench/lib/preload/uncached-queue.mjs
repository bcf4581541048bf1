// Loaded into the benchmarked server with `node --import` (never into production): the per-account
// queue page cache (packages/server/src/domain/queue-cache.ts) never hits, so every
// GET /v1/handoffs reads its page from the database, as the first read after each change does.
import { QueueCache } from '../../../packages/server/dist/domain/queue-cache.js';

if (typeof QueueCache.prototype.read !== 'function') {
  // Patching a method that no longer exists would leave the cache on and the row silently cached.
  throw new Error('uncached-queue preload: QueueCache.read is gone; update this preload');
}
QueueCache.prototype.read = (_accountId, _key, load) => load();
