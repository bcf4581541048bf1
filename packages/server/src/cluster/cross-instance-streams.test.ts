// Issue 14, tests 1 and 2: many writers spread over three instances and several accounts, with
// commits delayed at random and some rolled back (the test-only fault switch); readers on every
// instance, staying put or resuming on another instance, end with exactly 1..head of their
// account. The negative control shows readers on other instances stall without the bus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededAccount } from '../test/child-server.js';
import { escalate, heads, RoamingReader, startCluster, type Cluster } from '../test/instances.js';
import { sized } from '../test/soak.js';
import { TEST_DIALECT } from '../test/test-database.js';

const WRITERS = 12;
const CREATES = sized(450, 6000);

/** `creates` escalations from `WRITERS` writers, each turning over the instances and the accounts. */
async function write(cluster: Cluster, accounts: SeededAccount[], creates: number) {
  const tokens = await Promise.all(accounts.map((account) => account.token('technician', 'tech-1')));
  const acked = new Map<string, number>(accounts.map((account) => [account.id, 0]));
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let n = next++; n < creates; n = next++) {
        const a = (writer + n) % accounts.length;
        const server = cluster.servers[n % cluster.servers.length]!;
        const { status } = await escalate(server.url, tokens[a]!);
        statuses.push(status);
        if (status === 201) acked.set(accounts[a]!.id, acked.get(accounts[a]!.id)! + 1);
      }
    }),
  );
  return { acked, statuses };
}

/** A reader per account per instance, connected before the first write. */
async function readers(cluster: Cluster, accounts: SeededAccount[]) {
  const all: { account: SeededAccount; reader: RoamingReader }[] = [];
  for (const account of accounts) {
    for (const [index] of cluster.servers.entries()) {
      const token = await account.token('viewer', `viewer-${index}`);
      const reader = new RoamingReader(() => cluster.servers, token, index);
      await reader.start();
      all.push({ account, reader });
    }
  }
  return all;
}

const range = (head: number) => Array.from({ length: head }, (_, i) => i + 1);

/**
 * Every account's head is its count of 201s, and each of its readers ends with
 * exactly 1..head: no gap, no duplicate, in order. Closes the readers.
 */
async function expectEveryReaderWhole(
  cluster: Cluster,
  all: Awaited<ReturnType<typeof readers>>,
  acked: ReadonlyMap<string, number>,
): Promise<void> {
  const head = await heads(cluster.database);
  for (const { account, reader } of all) {
    expect(head.get(account.id)).toBe(acked.get(account.id));
    await reader.until(head.get(account.id)!, 20_000);
    reader.close();
    expect(reader.all).toEqual(range(head.get(account.id)!));
  }
}

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: streams',
  { timeout: 60_000 },
  () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster({
        accounts: 6,
        env: { RF_TEST_COMMIT_DELAY_MS: '30', RF_TEST_ROLLBACK_RATE: '0.03' },
      });
    }, 60_000);
    afterAll(() => cluster?.close());

    it('should give every reader on every instance exactly 1..head of its account: no gap, no duplicate', async () => {
      const accounts = cluster.accounts.slice(0, 3);
      const all = await readers(cluster, accounts);
      const { acked, statuses } = await write(cluster, accounts, CREATES);
      // The fault switch rolled some back (503, nothing written): they must not appear anywhere.
      expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
      await expectEveryReaderWhole(cluster, all, acked);
    });

    it('should give the same to readers that drop at random and resume on a different instance', async () => {
      const accounts = cluster.accounts.slice(3, 6);
      const all = await readers(cluster, accounts);
      let moving = true;
      const moves = all.map(async ({ reader }) => {
        while (moving) {
          await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
          if (moving) await reader.move();
        }
      });
      const { acked } = await write(cluster, accounts, CREATES);
      moving = false;
      await Promise.all(moves);
      await expectEveryReaderWhole(cluster, all, acked);
      // Each really read from more than one instance.
      for (const { reader } of all) expect(new Set(reader.visited).size).toBeGreaterThan(1);
    });
  },
);

describe.runIf(TEST_DIALECT === 'postgres')(
  'negative control: three instances without the bus',
  { timeout: 60_000 },
  () => {
    it('should leave readers on the other instances without the event (the bus is what delivers it)', async () => {
      // No LISTEN, and a poll slower than the test: instances know only their own writes.
      const cluster = await startCluster({ env: { BUS_LISTEN: 'false', BUS_POLL_MS: '60000' } });
      try {
        const [account] = cluster.accounts;
        const all = await readers(cluster, [account!]);
        const technician = await account!.token('technician');
        // Two escalations on the first instance. A reader's first replay runs just after it
        // connects and may still find the first one (committed meanwhile, correctly replayed). By
        // the time the first has reached the first instance's reader, every replay has long
        // finished, so only the bus could bring the second to the others.
        for (const seq of [1, 2]) {
          expect((await escalate(cluster.servers[0]!.url, technician)).status).toBe(201);
          await all[0]!.reader.until(seq, 5000);
        }
        const others = await Promise.allSettled(all.slice(1).map(({ reader }) => reader.until(2, 1500)));
        expect(others.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
        for (const { reader } of all) reader.close();
      } finally {
        await cluster.close();
      }
    });
  },
);
