import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Sqlite from 'better-sqlite3';

/** How often the worker looks at the WAL (ms): a read of 100 bytes, no lock, no system call to SQLite. */
export const CHECKPOINT_POLL_MS = 50;

/** WAL frames (pages) not yet copied into the database that start a checkpoint: SQLite's own default. */
export const CHECKPOINT_PAGES = 1000;

/**
 * The worker's source, run with `eval` so it needs no file of its own beside
 * the compiled one (vitest runs the TypeScript sources). It keeps SQLite's own
 * policy — checkpoint once 1,000 pages wait in the WAL — but runs it on a
 * second connection in this thread, never inside a commit.
 *
 * How many pages wait is read from the WAL-index (the `-shm` file, layout in
 * SQLite's "WAL-mode file format"): `mxFrame`, the last valid frame, at byte 16
 * of its header and `nBackfill`, the frames already copied, at byte 96, both
 * native-endian. Checkpointing on a timer instead, whatever the WAL held,
 * copied and fsynced the same hot pages every few creates and doubled the
 * median commit (measured: docs/performance.md).
 *
 * The checkpoint is PASSIVE: it never takes the write lock, so a commit never
 * waits for it. `busy_timeout = 0`: one that finds the file busy gives up and
 * the next look retries. `synchronous = FULL` makes it fsync the database file
 * before the WAL may be reused, which keeps acknowledged writes safe.
 */
const WORKER_SOURCE = String.raw`
const { closeSync, openSync, readSync } = require('node:fs');
const { endianness } = require('node:os');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
db.pragma('synchronous = FULL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const header = Buffer.alloc(100);
const readU32 = endianness() === 'LE' ? 'readUInt32LE' : 'readUInt32BE';
let shm;
const waiting = () => {
  shm ??= openSync(workerData.path + '-shm', 'r');
  if (readSync(shm, header, 0, 100, 0) < 100) return 0;
  return header[readU32](16) - header[readU32](96);
};
const look = () => {
  try {
    if (waiting() >= workerData.pages) checkpoint.all();
  } catch (error) {
    if (error.code === 'ENOENT') return;
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error;
  }
};
const timer = setInterval(look, workerData.pollMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  if (shm !== undefined) closeSync(shm);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

/** A running background checkpointer. */
export interface Checkpointer {
  /** Resolves once the worker has opened its connection (tests, benchmarks). */
  readonly ready: Promise<void>;
  /**
   * Stops the timer and closes the second connection; the writer goes on without it.
   * Resolves once the worker has exited, so its connection is closed: a worker still
   * starting up would otherwise open (and create) the file after the database is closed.
   */
  stop(): Promise<void>;
}

/**
 * Takes WAL checkpoints off the hot path. SQLite's default runs a checkpoint
 * inside the commit that pushes the WAL past 1,000 pages: that one commit (about
 * one create in a hundred) pays for copying the pages and an extra fsync, and
 * every live stream waits for it. Here a worker thread takes them from its own
 * connection at the same 1,000 pages instead, and the writer's automatic ones
 * move out to 4,000 pages, a bound on the WAL that the worker normally keeps it
 * well under. `synchronous=FULL` is unchanged: each commit still fsyncs the WAL
 * before it is acknowledged.
 *
 * If the worker dies, the writer's automatic checkpoints come back, so the WAL
 * can never grow without bound.
 *
 * @example
 * const checkpointer = startCheckpointer(sqlite, '/var/lib/rf/resolutionflow.db');
 * // … on close:
 * await checkpointer.stop();
 */
export function startCheckpointer(
  writer: Sqlite.Database,
  path: string,
  { pages = CHECKPOINT_PAGES, pollMs = CHECKPOINT_POLL_MS } = {},
): Checkpointer {
  const autocheckpoint = writer.pragma('wal_autocheckpoint', { simple: true }) as number;
  // A safety net, not the policy: the writer's own checkpoint only starts past four times the
  // worker's threshold, which happens only when writes never pause long enough for the worker's
  // checkpoint to catch up. Without it the WAL, which is reused from its start only once every
  // frame has been copied, grew without bound under back-to-back creates (30 MB in 800), and
  // commits that append to a growing file fsync slower than commits that overwrite one.
  writer.pragma(`wal_autocheckpoint = ${pages * 4}`);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, pages, pollMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  // Never what keeps the process alive; shutdown closes the database, which stops it.
  worker.unref();
  let stopped = false;
  const restore = () => {
    if (!stopped && writer.open) writer.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  };
  worker.once('error', restore);
  worker.once('exit', restore);
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  ready.catch(() => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    ready,
    stop() {
      if (!stopped) {
        stopped = true;
        // Queued until the worker listens, which it does once its connection is open.
        worker.postMessage('stop');
        // Waited for now: unref'd, a CLI's top-level await on close() would end the process
        // (exit code 13, the await unsettled) before the worker does.
        worker.ref();
      }
      return exited;
    },
  };
}
