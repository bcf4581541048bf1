import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, Handoff, UserRef } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { eventTypesOf } from '../test/event-log.js';
import { createWorld, listen, seedHandoff, type TestWorld } from '../test/harness.js';
import { queryRows } from '../test/sql.js';

const HANDOFFS = 20;
const CLAIMERS = 50;

let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>>;
let engineers: { token: string; user: UserRef }[];

beforeAll(async () => {
  world = await createWorld();
  server = await listen(world.app);
  engineers = await Promise.all(
    Array.from({ length: CLAIMERS }, async (_, n) => {
      const user = { id: `eng-${n}`, name: `Engineer ${n}` };
      return { token: await world.a.token(n % 10 === 0 ? 'admin' : 'engineer', user), user };
    }),
  );
});
afterAll(async () => {
  await server.close();
  await world.close();
});

/** One round: every engineer claims the same handoff at once, over real sockets. */
async function race(handoffId: string) {
  const started = performance.now();
  const responses = await Promise.all(
    engineers.map(({ token }) =>
      fetch(`${server.url}/v1/handoffs/${handoffId}/claim`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      }),
    ),
  );
  const bodies = await Promise.all(responses.map((response) => response.json() as Promise<unknown>));
  return { statuses: responses.map((response) => response.status), bodies, ms: performance.now() - started };
}

describe(`claim race (${HANDOFFS} handoffs × ${CLAIMERS} concurrent claims over HTTP)`, () => {
  it('should let exactly one engineer win each handoff and tell the others who did', async () => {
    const totals = { won: 0, lost: 0, other: 0, events: 0 };
    const durations: number[] = [];
    const winnerIds = new Set<string>();
    for (let round = 0; round < HANDOFFS; round++) {
      const handoff = await seedHandoff(world.database, world.a.id, { body: { title: `Race ${round}` } });
      const { statuses, bodies, ms } = await race(handoff.id);
      durations.push(ms);

      const winners = bodies.filter((_, i) => statuses[i] === 200) as Handoff[];
      const losers = bodies.filter((_, i) => statuses[i] === 409) as ErrorResponse[];
      totals.won += winners.length;
      totals.lost += losers.length;
      totals.other += statuses.filter((status) => status !== 200 && status !== 409).length;
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(CLAIMERS - 1);

      const winner = winners[0]!;
      winnerIds.add(winner.claimedBy!.id);
      expect(winner.status).toBe('claimed');
      expect(engineers.map((engineer) => engineer.user)).toContainEqual(winner.claimedBy);
      for (const loser of losers) {
        expect(loser.error.code).toBe('already_claimed');
        expect(loser.error.details).toMatchObject({
          claimedBy: winner.claimedBy,
          claimedAt: winner.claimedAt,
        });
      }

      const claimedEvents = (await eventTypesOf(world.database, world.a.id, handoff.id)).filter(
        (type) => type === 'handoff.claimed',
      );
      totals.events += claimedEvents.length;
      expect(claimedEvents).toHaveLength(1);
      const [row] = await queryRows(
        world.database,
        sql`SELECT status, claimed_by_id AS "claimedById" FROM handoffs WHERE id = ${handoff.id}`,
      );
      expect(row).toEqual({ status: 'claimed', claimedById: winner.claimedBy!.id });
    }

    expect(totals).toEqual({
      won: HANDOFFS,
      lost: HANDOFFS * (CLAIMERS - 1),
      other: 0,
      events: HANDOFFS,
    });
    durations.sort((x, y) => x - y);
    console.log(
      `claim race: ${HANDOFFS} handoffs × ${CLAIMERS} concurrent claims = ${HANDOFFS * CLAIMERS} requests → ` +
        `${totals.won} × 200, ${totals.lost} × 409 naming the winner, ${totals.other} other, ` +
        `${totals.events} handoff.claimed events, ${winnerIds.size} distinct winners; per round median ${durations[HANDOFFS >> 1]!.toFixed(0)} ms, ` +
        `max ${durations.at(-1)!.toFixed(0)} ms`,
    );
  });
});
