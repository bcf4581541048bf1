import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TEST_DIALECT } from '../test/test-database.js';
import { openSqlite as openDatabase } from './sqlite/sqlite-database.js';

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rf-checkpoint-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'checkpoint.db');
}

/** Commits `count` rows of 1 KB, one transaction each, as the server's writes are. */
function writeRows(database: ReturnType<typeof openDatabase>, count: number): void {
  database.sqlite.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = database.sqlite.prepare('INSERT INTO filler (body) VALUES (?)');
  // The writer connection itself, as the server's writes are made (one immediate transaction each).
  for (let n = 0; n < count; n++) database.sqlite.transaction(() => insert.run('x'.repeat(1024))).immediate();
}

// SQLite's WAL; PostgreSQL checkpoints by itself.
describe.runIf(TEST_DIALECT === 'sqlite')('background WAL checkpoints', () => {
  it('should take checkpoints out of the commits and copy the WAL into the file from the worker', async () => {
    const path = tempPath();
    const database = openDatabase(path, { checkpoints: 'background' });
    onTestFinished(() => database.close());
    await database.checkpointer!.ready;
    expect(database.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL, unchanged

    const before = statSync(path).size;
    // Fewer frames than the writer's own 4,000: only the worker can have moved the file.
    writeRows(database, 1500);
    // Only a checkpoint writes pages into the main file; the worker looks every 50 ms.
    await expect.poll(() => statSync(path).size, { timeout: 5000 }).toBeGreaterThan(before + 512 * 1024);
  });

  it('should leave the WAL alone when checkpoints stay inline and automatic ones are off', () => {
    // The control for the test above: without the worker, nothing but a checkpoint moves the file.
    const path = tempPath();
    const database = openDatabase(path);
    onTestFinished(() => database.close());
    expect(database.checkpointer).toBeUndefined();
    expect(database.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    database.sqlite.pragma('wal_autocheckpoint = 0');
    const before = statSync(path).size;
    writeRows(database, 1000);
    expect(statSync(path).size).toBe(before);
  });

  it('should keep every committed row across a close and a reopen', async () => {
    const path = tempPath();
    const database = openDatabase(path, { checkpoints: 'background' });
    await database.checkpointer!.ready;
    writeRows(database, 500);
    await database.close();
    const reopened = openDatabase(path, { checkpoints: 'background' });
    onTestFinished(() => reopened.close());
    const { n } = reopened.sqlite.prepare('SELECT count(*) AS n FROM filler').get() as { n: number };
    expect(n).toBe(500);
  });

  it('should have closed the worker connection by the time close() resolves, started or not', async () => {
    // A worker still holding its connection keeps the WAL and its index on disk past close(),
    // and one still starting up would create the file again after it: a removed data directory
    // (every test's teardown) then failed with ENOTEMPTY.
    for (const waitForWorker of [true, false]) {
      const path = tempPath();
      const database = openDatabase(path, { checkpoints: 'background' });
      if (waitForWorker) await database.checkpointer!.ready;
      writeRows(database, 10);
      await database.close();
      // The writer closed last, so SQLite removed the -wal and -shm files.
      expect(readdirSync(dirname(path))).toEqual(['checkpoint.db']);
    }
  });
});
