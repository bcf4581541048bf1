import type { Logger } from 'pino';
import { InProcessBus, type Bus } from '../bus.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { PostgresDatabase } from '../db/postgres/postgres-database.js';
import type { Metrics } from '../metrics/metrics.js';
import { PostgresBus } from './postgres-bus.js';

/**
 * The bus for the database the server runs on: in-process on SQLite (one
 * process is the only writer), across instances on PostgreSQL (started: its
 * listener is connected, or retrying, when this resolves).
 */
export async function openBus(
  config: Config,
  database: Database,
  parts: { metrics: Metrics; logger: Logger },
): Promise<Bus> {
  if (database.dialect !== 'postgres' || config.database.dialect !== 'postgres') return new InProcessBus();
  const bus = new PostgresBus({
    ...config.bus,
    target: config.database,
    // The read pool: the heartbeat, the head poll and the notifications must not wait behind writes
    // that hold every connection of the main pool (a lost heartbeat recycles the listener).
    pool: (database as PostgresDatabase).readClient,
    ...parts,
  });
  await bus.start();
  return bus;
}
