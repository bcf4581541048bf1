// Loaded into the benchmarked server with `node --import` (never into production): every create
// becomes its own write transaction, as the server would run without its group-commit batcher
// (packages/server/src/domain/create-batcher.ts). The same writes as a batch of one (the handoff
// through insertHandoff, then its event numbered last, then the bus publish) minus the savepoint;
// only the batching differs. It replaces CreateBatcher.prototype.create in the server's own module
// instance (same file URL), so it needs the build (dist) and the batcher's field names.
import { CreateBatcher } from '../../../packages/server/dist/domain/create-batcher.js';
import { appendEvents } from '../../../packages/server/dist/domain/events.js';
import { insertHandoff } from '../../../packages/server/dist/domain/handoffs.js';

CreateBatcher.prototype.create = async function createUnbatched(request) {
  const database = this._database;
  const bus = this._bus;
  if (!database || !bus) throw new Error('unbatched-creates.mjs: CreateBatcher no longer has _database/_bus');
  const change = await database.write(async (tx) => {
    const { handoff, event } = await insertHandoff(database, tx, request);
    const [eventSeq] = await appendEvents(tx.hot, request.accountId, [event]);
    return { handoff, eventSeq };
  });
  bus.publish(request.accountId);
  return change;
};
