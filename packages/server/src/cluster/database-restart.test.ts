// Issue 14, test 6: PostgreSQL restarted (`pg_ctl restart -m fast`) under load, on a cluster of
// this test's own (the run's shared one serves other files): the three instances recover without
// a restart of their own, no acknowledged create is lost, and every reader ends whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDatabase } from '../test/child-server.js';
import {
  Acks,
  createdInLog,
  escalate,
  heads,
  RoamingReader,
  startCluster,
  type Cluster,
} from '../test/instances.js';
import { createTestDatabase, startPgCluster, type PgCluster } from '../test/pg-cluster.js';
import { TEST_DIALECT } from '../test/test-database.js';

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: the database restarts',
  { timeout: 60_000 },
  () => {
    let pg: PgCluster;
    let cluster: Cluster;
    beforeAll(async () => {
      pg = await startPgCluster();
      const made = await createTestDatabase('restart', pg);
      const database: TempDatabase = {
        target: { dialect: 'postgres', url: made.url },
        env: { DATABASE_URL: made.url },
        remove: made.drop,
      };
      cluster = await startCluster({ database });
    }, 60_000);
    afterAll(async () => {
      await cluster?.close();
      await pg?.stop();
    });

    it('should recover every instance and lose no acknowledged create', async () => {
      const [account] = cluster.accounts;
      const technician = await account!.token('technician', 'tech-1');
      const readers = await Promise.all(
        cluster.servers.map(async (_, index) => {
          const reader = new RoamingReader(
            () => cluster.servers,
            await account!.token('viewer', `v-${index}`),
            index,
          );
          await reader.start();
          return reader;
        }),
      );
      const acks = new Acks();
      const acked = acks.ids;
      const failed: number[] = [];
      let writing = true;
      const writers = Array.from({ length: 6 }, async (_, writer) => {
        for (let n = writer; writing; n++) {
          const { status, id } = await escalate(cluster.servers[n % 3]!.url, technician).catch(() => ({
            status: 0,
            id: undefined,
          }));
          if (status === 201) acks.add(id!);
          else failed.push(status);
        }
      });
      await acks.reach(50);
      const before = acked.length;
      await pg.restart();
      writing = false;
      await Promise.all(writers);

      // While it was down, creates were refused with a clear 503, never a 500 or an acknowledged loss.
      expect(failed.filter((status) => status !== 503)).toEqual([]);
      // Every instance works again, without a restart of its own.
      for (const server of cluster.servers) {
        const created = await escalate(server.url, technician);
        expect(created.status).toBe(201);
        acked.push(created.id!);
      }
      const logged = await createdInLog(cluster.database, account!.id);
      expect(acked.length).toBeGreaterThan(before);
      expect(acked.filter((id) => !logged.has(id))).toEqual([]);
      const head = (await heads(cluster.database)).get(account!.id)!;
      expect(head).toBe(logged.size);
      console.log(
        `database restart: ${acked.length} creates acknowledged, ${failed.length} refused with 503 meanwhile`,
      );
      for (const reader of readers) {
        await reader.until(head, 20_000);
        reader.close();
        expect(reader.all).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      }
    });
  },
);
