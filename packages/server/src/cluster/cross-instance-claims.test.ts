// Issue 14, test 3: exactly one claim across instances. 200 handoffs, each claimed at once by 16
// engineers whose requests are spread over three instances: one 200 per handoff, every other
// claimer a 409 naming the winner, one `handoff.claimed` event each (in the table and on a stream
// read from each instance), and the row held by the winner. (The lock that makes this hold is
// shown to be needed by db/postgres/release-race.test.ts's negative control.)
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, Handoff } from '@resolutionflow/types';
import { openDatabase } from '../db/open-database.js';
import { escalate, heads, RoamingReader, startCluster, type Cluster } from '../test/instances.js';
import { judgeClaimRace, type ClaimTotals } from '../test/claim-race.js';
import { sized } from '../test/soak.js';
import { queryRows } from '../test/sql.js';
import { TEST_DIALECT } from '../test/test-database.js';

const HANDOFFS = sized(200, 2000);
const CLAIMERS = 16;
/** Handoffs raced at the same time (16 claims each in flight). */
const WINDOW = 8;

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: claims',
  { timeout: 60_000 },
  () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster();
    }, 60_000);
    afterAll(() => cluster?.close());

    it(`should let exactly one of ${CLAIMERS} claimers on three instances win each of ${HANDOFFS} handoffs`, async () => {
      const [account] = cluster.accounts;
      const { servers } = cluster;
      const technician = await account!.token('technician', 'tech-1');
      const engineers = await Promise.all(
        Array.from({ length: CLAIMERS }, (_, n) =>
          account!.token(n % 8 === 0 ? 'admin' : 'engineer', `racer-${n}`),
        ),
      );
      const watchers = await Promise.all(
        servers.map(async (_, index) => {
          const reader = new RoamingReader(
            () => servers,
            await account!.token('viewer', `watcher-${index}`),
            index,
          );
          await reader.start();
          return reader;
        }),
      );
      const ids: string[] = [];
      for (let n = 0; n < HANDOFFS; n++) {
        const created = await escalate(servers[n % servers.length]!.url, technician);
        expect(created.status).toBe(201);
        ids.push(created.id!);
      }

      const winners = new Map<string, string>();
      const totals: ClaimTotals = { won: 0, lost: 0, other: 0 };
      for (let next = 0; next < ids.length; next += WINDOW) {
        await Promise.all(
          ids.slice(next, next + WINDOW).map(async (id, offset) => {
            const responses = await Promise.all(
              engineers.map((token, n) =>
                fetch(`${servers[(n + next + offset) % servers.length]!.url}/v1/handoffs/${id}/claim`, {
                  method: 'POST',
                  headers: { Authorization: `Bearer ${token}` },
                }),
              ),
            );
            const bodies = (await Promise.all(responses.map((response) => response.json()))) as (
              Handoff | ErrorResponse
            )[];
            const statuses = responses.map((response) => response.status);
            winners.set(id, judgeClaimRace(id, statuses, bodies, totals).id);
          }),
        );
      }
      expect(totals).toEqual({ won: HANDOFFS, lost: HANDOFFS * (CLAIMERS - 1), other: 0 });

      // The table: one claimed event per handoff, and the row held by the winner.
      const database = await openDatabase(cluster.database.target, { migrate: false });
      try {
        const events = await queryRows<{ id: string; n: string | number }>(
          database,
          sql`SELECT handoff_id AS id, count(*) AS n FROM events WHERE type = 'handoff.claimed' GROUP BY handoff_id`,
        );
        expect(events.filter((row) => Number(row.n) !== 1)).toEqual([]);
        expect(events.length).toBe(HANDOFFS);
        const rows = await queryRows<{ id: string; claimed_by_id: string }>(
          database,
          sql`SELECT id, claimed_by_id FROM handoffs WHERE account_id = ${account!.id}`,
        );
        expect(rows.filter((row) => row.claimed_by_id !== winners.get(row.id))).toEqual([]);
      } finally {
        await database.close();
      }

      // The streams, one per instance: each claim once, attributed to its winner.
      const head = (await heads(cluster.database)).get(account!.id)!;
      for (const watcher of watchers) {
        await watcher.until(head, 20_000);
        watcher.close();
        expect(watcher.all).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      }
    });
  },
);
