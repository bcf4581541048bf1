import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handoff, HandoffEventData } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/open-database.js';
import type { SqliteDatabase } from '../db/sqlite/sqlite-database.js';
import {
  seedAccount,
  startChildServer,
  tempDatabase,
  type ChildServer,
  type SeededAccount,
  type TempDatabase,
} from '../test/child-server.js';
import { escalation } from '../test/harness.js';
import { Prng } from '../test/prng.js';
import { sized } from '../test/soak.js';
import { TEST_DIALECT } from '../test/test-database.js';
import { queryNumber, queryRows } from '../test/sql.js';
import { eventId, isDense, SseClient } from '../test/sse-client.js';

/** Generous against the ~10–30 s a bounded run takes here; a soak run takes minutes. */
const TIMEOUT_MS = sized(120_000, 900_000);

const CREATES = sized(500, 2_000);
const ROUNDS = sized(2, 5);

let database: TempDatabase;
const prng = Prng.fromEnv();
let account: SeededAccount;
let token: string;
let server: ChildServer | undefined;

beforeAll(async () => {
  database = await tempDatabase('rf-crash-');
  account = await seedAccount(database.target);
  token = await account.token('technician', 'crash-tech');
});
afterAll(async () => {
  await server?.kill();
  await database.remove();
});

/**
 * Fires `CREATES` creates at once and SIGKILLs the server when the `killAt`-th
 * 201 arrives. Returns the ids that were acknowledged; the rest may or may not
 * have committed, which is allowed.
 */
async function createUntilKilled(live: ChildServer, round: number, killAt: number) {
  const acknowledged: string[] = [];
  let failed = 0;
  let other = 0;
  let killing: Promise<void> | undefined;
  await Promise.all(
    Array.from({ length: CREATES }, async (_, n) => {
      try {
        const response = await fetch(`${live.url}/v1/handoffs`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(escalation({ title: `Crash round ${round} #${n}` })),
        });
        if (response.status !== 201) {
          other += 1;
          return;
        }
        const { id } = (await response.json()) as Handoff;
        acknowledged.push(id);
        if (acknowledged.length === killAt) killing = live.kill();
      } catch {
        failed += 1;
      }
    }),
  );
  await (killing ?? live.kill());
  return { acknowledged, failed, other };
}

/** SQLite's own check that a killed writer left the file whole (PostgreSQL recovers by itself). */
function integrityOf(opened: Database): string {
  return opened.dialect === 'sqlite'
    ? String((opened as SqliteDatabase).sqlite.pragma('integrity_check', { simple: true }))
    : 'ok';
}

/** Every acknowledged id answers 200 from the restarted server. */
async function missingAfterRestart(live: ChildServer, ids: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let next = 0; next < ids.length; next += 100) {
    await Promise.all(
      ids.slice(next, next + 100).map(async (id) => {
        const response = await fetch(`${live.url}/v1/handoffs/${id}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (response.status !== 200) missing.push(`${id} → ${response.status}`);
        else await response.arrayBuffer();
      }),
    );
  }
  return missing;
}

/** Replays the whole stream from its start (Last-Event-ID `1.0`) and returns the handoffs of its `handoff.created` events. */
async function replayCreated(live: ChildServer, lastSeq: number) {
  const client = await SseClient.connect(`${live.url}/v1/stream`, {
    Authorization: `Bearer ${await account.token('viewer', 'crash-viewer')}`,
    'Last-Event-ID': eventId(0),
  });
  await client.until((c) => c.ids.at(-1) === lastSeq, 30_000);
  client.close();
  const ids = client.ids;
  const created = client.frames
    .filter((frame) => frame.event === 'handoff.created')
    .map((frame) => (JSON.parse(frame.data!) as HandoffEventData).handoff.id);
  return { ids, created };
}

describe(`crash durability on ${TEST_DIALECT} (${ROUNDS} × SIGKILL during ${CREATES} concurrent creates, seed ${prng.seed})`, () => {
  it(
    'should keep every acknowledged create, with its handoff.created event, replayable after restart',
    async () => {
      const acknowledged: string[] = [];
      const rounds: string[] = [];
      let lost = 0;
      for (let round = 0; round <= ROUNDS; round++) {
        server = await startChildServer({ database });
        const missing = await missingAfterRestart(server, acknowledged);
        lost += missing.length;
        expect(missing, `after restart ${round}`).toEqual([]);
        if (round === ROUNDS) break;

        const killAt = 1 + Math.floor(CREATES * (0.1 + 0.8 * prng.next()));
        const outcome = await createUntilKilled(server, round, killAt);
        const { signal } = await server.exited;
        expect(signal).toBe('SIGKILL');
        acknowledged.push(...outcome.acknowledged);
        rounds.push(
          `killed after ${outcome.acknowledged.length} × 201 (${outcome.failed} cut off, ${outcome.other} other)`,
        );
        expect(outcome.other).toBe(0);

        const file = await openDatabase(database.target, { migrate: false });
        expect(integrityOf(file)).toBe('ok');
        await file.close();
      }

      const file = await openDatabase(database.target, { migrate: false });
      const rows = await queryNumber(file, sql`SELECT count(*) FROM handoffs`);
      const lastSeq = await queryNumber(
        file,
        sql`SELECT last_seq FROM account_streams WHERE account_id = ${account.id}`,
      );
      const createdEvents = new Set(
        (
          await queryRows<{ id: string }>(
            file,
            sql`SELECT handoff_id AS id FROM events WHERE type = 'handoff.created'`,
          )
        ).map((row) => row.id),
      );
      await file.close();
      expect(acknowledged.filter((id) => !createdEvents.has(id))).toEqual([]);

      const replay = await replayCreated(server!, lastSeq);
      const replayed = new Set(replay.created);
      expect(acknowledged.filter((id) => !replayed.has(id))).toEqual([]);
      expect(replay.created).toHaveLength(replayed.size);
      // Dense from 1: every committed event replayed, in order, none skipped.
      expect(replay.ids[0]).toBe(1);
      expect(isDense(replay.ids)).toBe(true);
      await server!.stop();
      server = undefined;

      console.log(
        `crash durability: seed ${prng.seed}; ${ROUNDS} rounds of ${CREATES} concurrent creates, SIGKILL at a random moment: ${rounds.join('; ')}. ` +
          `Acknowledged ${acknowledged.length}, lost ${lost}; ${rows - acknowledged.length} more committed whose 201 never arrived; ` +
          `${database.target.dialect}: integrity ok after every kill; replay from the start: ${replay.ids.length} events, dense and in order, ` +
          `${replay.created.length} handoff.created covering all ${acknowledged.length} acknowledged`,
      );
      expect(lost).toBe(0);
    },
    TIMEOUT_MS,
  );
});
