// Issue 14, tests 4 and 7: one instance SIGKILLed under load (its readers resume elsewhere, every
// 201 acknowledged before the kill is in the log, the restarted instance rejoins), and three
// instances started at once on an empty database (one migrates, all become ready).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open-database.js';
import { POSTGRES_MIGRATIONS } from '../db/postgres/postgres-database.js';
import type { SeededAccount, TempDatabase } from '../test/child-server.js';
import {
  Acks,
  createdInLog,
  escalate,
  heads,
  RoamingReader,
  startCluster,
  type Cluster,
} from '../test/instances.js';
import { createTestDatabase } from '../test/pg-cluster.js';
import { queryRows } from '../test/sql.js';
import { TEST_DIALECT } from '../test/test-database.js';

const range = (head: number) => Array.from({ length: head }, (_, i) => i + 1);

/**
 * Writers on every instance and a roaming reader starting on each, while `during` happens; then
 * every acknowledged create is in the log and every reader has exactly 1..head. Returns the
 * readers and how many creates failed for want of an instance.
 */
async function underLoad(cluster: Cluster, account: SeededAccount, during: (acks: Acks) => Promise<void>) {
  const technician = await account.token('technician', 'tech-1');
  const readers = await Promise.all(
    cluster.servers.map(async (_, index) => {
      const reader = new RoamingReader(
        () => cluster.servers,
        await account.token('viewer', `viewer-${index}`),
        index,
      );
      await reader.start();
      return reader;
    }),
  );
  const acks = new Acks();
  let refused = 0;
  let writing = true;
  const writers = Array.from({ length: 6 }, async (_, writer) => {
    for (let n = writer; writing; n++) {
      try {
        const { status, id } = await escalate(cluster.servers[n % 3]!.url, technician);
        if (status === 201) acks.add(id!);
      } catch {
        refused += 1; // The instance that went away: a client's retry goes to another one.
      }
    }
  });
  await acks.reach(100);
  await during(acks);
  writing = false;
  await Promise.all(writers);

  const logged = await createdInLog(cluster.database, account.id);
  expect(acks.ids.filter((id) => !logged.has(id))).toEqual([]);
  const head = (await heads(cluster.database)).get(account.id)!;
  expect(head).toBe(logged.size);
  for (const reader of readers) {
    await reader.until(head, 20_000);
    reader.close();
    expect(reader.all).toEqual(range(head));
  }
  return { readers, refused, head, technician };
}

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: losing one',
  { timeout: 60_000 },
  () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster({ accounts: 2 });
    }, 60_000);
    afterAll(() => cluster?.close());

    it('should keep every acknowledged create and every reader whole when one instance is SIGKILLed under load', async () => {
      const account = cluster.accounts[0]!;
      const { readers, refused, head, technician } = await underLoad(cluster, account, async (acks) => {
        await cluster.servers[1]!.kill();
        await acks.reach(acks.ids.length + 100);
        await cluster.restart(1);
        await acks.reach(acks.ids.length + 100);
      });
      expect(refused).toBeGreaterThan(0);
      // The reader that was on the killed instance moved on.
      expect(new Set(readers[1]!.visited).size).toBeGreaterThan(1);

      // The restarted instance rejoined: a stream on it sees a create made on another instance.
      const late = new RoamingReader(() => [cluster.servers[1]!], await account.token('viewer', 'late'), 0);
      await late.start();
      expect((await escalate(cluster.servers[0]!.url, technician)).status).toBe(201);
      await late.until(head + 1, 5000);
      late.close();
      expect(late.all).toEqual([head + 1]);
    });

    it('should let one instance shut down gracefully under load while the others serve', async () => {
      const account = cluster.accounts[1]!;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      const { readers } = await underLoad(cluster, account, async (acks) => {
        const leaving = cluster.servers[2]!;
        await leaving.stop();
        exit = await leaving.exited;
        await acks.reach(acks.ids.length + 100);
        await cluster.restart(2);
      });
      // SIGTERM: streams told to retry, requests in flight answered, a clean exit.
      expect(exit).toEqual({ code: 0, signal: null });
      expect(new Set(readers[2]!.visited).size).toBeGreaterThan(1);
    });
  },
);

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances started at once on an empty database',
  { timeout: 60_000 },
  () => {
    it('should have one of them migrate and all of them become ready', async () => {
      const made = await createTestDatabase('empty');
      const database: TempDatabase = {
        target: { dialect: 'postgres', url: made.url },
        env: { DATABASE_URL: made.url },
        remove: made.drop,
      };
      // No account yet (seeding would migrate first): the three servers meet an empty database.
      const cluster = await startCluster({ database, accounts: 0 });
      try {
        for (const server of cluster.servers) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        const opened = await openDatabase(database.target, { migrate: false });
        try {
          const applied = await queryRows(opened, sql`SELECT hash FROM drizzle.__drizzle_migrations`);
          const journal = JSON.parse(
            readFileSync(join(POSTGRES_MIGRATIONS, 'meta', '_journal.json'), 'utf8'),
          ) as {
            entries: unknown[];
          };
          expect(applied).toHaveLength(journal.entries.length);
        } finally {
          await opened.close();
        }
      } finally {
        await cluster.close();
      }
    });
  },
);
