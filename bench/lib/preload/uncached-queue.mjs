// Loaded into the benchmarked server with `node --import` (never into production): the per-account
// queue page cache (packages/server/src/domain/queue-cache.ts) never hits, so every
// GET /v1/handoffs reads its page from the database, as the first read after each change does.
import { QueueCache } from '../../../packages/server/dist/domain/queue-cache.js';

QueueCache.prototype.get = () => undefined;
