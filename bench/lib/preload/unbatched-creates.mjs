// Loaded into the benchmarked server with `node --import` (never into production): every create
// is written on its own, as the server would without its group-commit batcher
// (packages/server/src/domain/create-batcher.ts): the same write as a batch of one
// (writeCreateBatch: on PostgreSQL one statement in its own transaction, on SQLite one write
// transaction), then the bus publish; only the batching differs. It replaces
// CreateBatcher.prototype.create in the server's own module instance (same file URL), so it needs
// the build (dist) and the batcher's field names. Creates with an Idempotency-Key are not
// benchmarked and are refused here.
import { CreateBatcher } from '../../../packages/server/dist/domain/create-batcher.js';
import { writeCreateBatch } from '../../../packages/server/dist/domain/batch-insert.js';

CreateBatcher.prototype.create = async function createUnbatched(request) {
  const database = this._database;
  const bus = this._bus;
  if (!database || !bus) throw new Error('unbatched-creates.mjs: CreateBatcher no longer has _database/_bus');
  if (request.idempotency)
    throw new Error('unbatched-creates.mjs: creates with an Idempotency-Key are not covered');
  const [change] = await writeCreateBatch(database, [request]);
  bus.publish(request.accountId);
  return change;
};
