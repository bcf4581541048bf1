import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, Handoff, HandoffEventData } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { createWorld, listen, seedHandoff, type TestWorld } from '../test/harness.js';
import { judgeClaimRace, type ClaimTotals } from '../test/claim-race.js';
import { sized } from '../test/soak.js';
import { queryNumber, queryRows } from '../test/sql.js';
import { SseClient } from '../test/sse-client.js';
import { latencySummary } from '../test/stats.js';

/** Generous against the ~10–30 s a bounded run takes here; a soak run takes minutes. */
const TIMEOUT_MS = sized(120_000, 900_000);

const CLAIMERS = 50;
const HANDOFFS = sized(100, 1_000);
/** Handoffs raced at the same time: 50 claimers on each, so up to 250 claims in flight. */
const WINDOW = 5;

let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>>;
let engineers: string[];
let watcher: SseClient;

beforeAll(async () => {
  world = await createWorld();
  server = await listen(world.app);
  engineers = await Promise.all(
    Array.from({ length: CLAIMERS }, (_, n) =>
      world.a.token(n % 10 === 0 ? 'admin' : 'engineer', { id: `racer-${n}`, name: `Racer ${n}` }, 3600),
    ),
  );
  watcher = await SseClient.connect(`${server.url}/v1/stream`, {
    Authorization: `Bearer ${await world.a.token('viewer', { id: 'watcher' }, 3600)}`,
  });
});
afterAll(async () => {
  watcher?.close();
  await server?.close();
  await world?.close();
});

/** Every engineer claims the same handoff at once, each over its own request; who sends first rotates. */
async function race(id: string, round: number) {
  const first = (round * 7) % CLAIMERS;
  const order = [...engineers.slice(first), ...engineers.slice(0, first)];
  const started = performance.now();
  const responses = await Promise.all(
    order.map((token) =>
      fetch(`${server.url}/v1/handoffs/${id}/claim`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      }),
    ),
  );
  const bodies = (await Promise.all(responses.map((response) => response.json()))) as (
    Handoff | ErrorResponse
  )[];
  return { statuses: responses.map((response) => response.status), bodies, ms: performance.now() - started };
}

describe(`claim race soak (${CLAIMERS} concurrent claimers × ${HANDOFFS} handoffs over HTTP)`, () => {
  it(
    'should let exactly one claimer win each handoff, with exactly one handoff.claimed event each',
    async () => {
      const ids: string[] = [];
      for (let n = 0; n < HANDOFFS; n++)
        ids.push((await seedHandoff(world.database, world.a.id, { body: { title: `Race ${n}` } })).id);
      const totals: ClaimTotals = { won: 0, lost: 0, other: 0 };
      const rounds: number[] = [];
      const winners = new Map<string, string>();
      const started = performance.now();
      for (let next = 0; next < ids.length; next += WINDOW) {
        await Promise.all(
          ids.slice(next, next + WINDOW).map(async (id, offset) => {
            const { statuses, bodies, ms } = await race(id, next + offset);
            rounds.push(ms);
            winners.set(id, judgeClaimRace(id, statuses, bodies, totals).id);
          }),
        );
      }
      const elapsed = performance.now() - started;

      // The table: exactly one claimed event per handoff, naming the winner.
      const rows = (
        await queryRows<{ id: string; n: number | string }>(
          world.database,
          sql`SELECT handoff_id AS id, count(*) AS n FROM events WHERE type = 'handoff.claimed' GROUP BY handoff_id`,
        )
      ).map((row) => ({ id: row.id, n: Number(row.n) }));
      expect(rows.filter((row) => row.n !== 1)).toEqual([]);
      expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
      // The stream: every claim arrives once, live, attributed to the winner.
      const lastSeq = await queryNumber(
        world.database,
        sql`SELECT max(seq) FROM events WHERE account_id = ${world.a.id}`,
      );
      await watcher.until((c) => c.ids.at(-1) === lastSeq, 20_000);
      const claimedFrames = watcher.frames.filter((frame) => frame.event === 'handoff.claimed');
      const perHandoff = new Map<string, number>();
      for (const frame of claimedFrames) {
        const data = JSON.parse(frame.data!) as HandoffEventData;
        perHandoff.set(data.handoff.id, (perHandoff.get(data.handoff.id) ?? 0) + 1);
        expect(data.actor?.id).toBe(winners.get(data.handoff.id));
      }
      expect([...perHandoff.values()].every((n) => n === 1)).toBe(true);
      expect(perHandoff.size).toBe(HANDOFFS);
      expect(totals).toEqual({ won: HANDOFFS, lost: HANDOFFS * (CLAIMERS - 1), other: 0 });

      const distinct = new Set(winners.values()).size;
      console.log(
        `claim race soak: ${HANDOFFS} handoffs × ${CLAIMERS} concurrent claimers (${WINDOW} handoffs at a time) = ${HANDOFFS * CLAIMERS} claims in ` +
          `${(elapsed / 1000).toFixed(1)} s → ${totals.won} × 200, ${totals.lost} × 409 naming the winner, ${totals.other} other; ` +
          `${rows.length} handoff.claimed event rows and ${claimedFrames.length} stream frames (exactly 1 per handoff); ` +
          `${distinct} distinct winners; per race ${latencySummary(rounds).text}`,
      );
    },
    TIMEOUT_MS,
  );
});
