import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';
import { execute, queryRows } from '../test/sql.js';
import { CreateBatcher } from './create-batcher.js';
import { appendHandoffEvent } from './events.js';
import { createHandoff } from './handoffs.js';
import { recordAssessment, transition } from './transitions.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

const input = CreateHandoffRequestSchema.parse(escalation());
const alex = { id: 'alex', name: 'Alex' };

/** The account's stored event numbers, in order. */
const seqsOf = async (accountId: string) =>
  (
    await queryRows<{ seq: number }>(
      world.database,
      sql`SELECT seq FROM events WHERE account_id = ${accountId} ORDER BY seq`,
    )
  ).map((row) => Number(row.seq));

const headOf = async (accountId: string) => {
  const [head] = await queryRows<{ epoch: number; lastSeq: number }>(
    world.database,
    sql`SELECT epoch, last_seq AS "lastSeq" FROM account_streams WHERE account_id = ${accountId}`,
  );
  return head && { epoch: Number(head.epoch), lastSeq: Number(head.lastSeq) };
};

/** The titles of the account's events, in sequence order. */
const titlesOf = async (accountId: string) =>
  (
    await queryRows<{ data: string }>(
      world.database,
      sql`SELECT data FROM events WHERE account_id = ${accountId} ORDER BY seq`,
    )
  ).map((row) => (JSON.parse(row.data) as { handoff: { title: string } }).handoff.title);

const create = async (accountId: string, now = 1) =>
  (await createHandoff(world.database, accountId, alex, input, { status: 'disabled' }, now)).eventSeq;

describe('per-account event sequence', () => {
  it('should number each account densely from 1, whatever the other accounts write', async () => {
    const seqs = [];
    for (const accountId of [world.a.id, world.b.id, world.a.id, world.a.id, world.b.id])
      seqs.push(await create(accountId));
    expect(seqs).toEqual([1, 1, 2, 3, 2]);
    expect(await seqsOf(world.a.id)).toEqual([1, 2, 3]);
    expect(await headOf(world.a.id)).toEqual({ epoch: 1, lastSeq: 3 });
  });

  it('should continue the sequence through transitions and assessments', async () => {
    const { database } = world;
    const { handoff } = await createHandoff(database, world.a.id, alex, input, { status: 'pending' }, 1);
    const engineer = { id: 'eng', name: 'Eng', isAdmin: false };
    expect((await transition(database, world.a.id, handoff.id, 'claim', engineer, 2)).eventSeq).toBe(2);
    const assessed = await recordAssessment(database, world.a.id, handoff.id, { status: 'timed_out' }, 3);
    expect(assessed?.eventSeq).toBe(3);
    expect((await transition(database, world.a.id, handoff.id, 'start', engineer, 4)).eventSeq).toBe(4);
    // Idempotent start: no event, no number taken.
    expect((await transition(database, world.a.id, handoff.id, 'start', engineer, 5)).eventSeq).toBeNull();
    expect(await seqsOf(world.a.id)).toEqual([1, 2, 3, 4]);
  });

  it('should give a group-committed batch dense numbers per account in request order, skipping none for a failed create', async () => {
    const batcher = new CreateBatcher(world.database, world.deps.bus);
    const request = (accountId: string, title: string) =>
      batcher.create({
        accountId,
        actor: alex,
        input: { ...input, title },
        initialAssessment: { status: 'disabled' },
        now: 1,
        notify: false,
      });
    const outcomes = await Promise.allSettled([
      request(world.b.id, 'b1'),
      request(world.a.id, 'a1'),
      request('no-such-account', 'fails alone'),
      request(world.b.id, 'b2'),
      request(world.a.id, 'a2'),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.eventSeq : 'rejected'))).toEqual([
      1,
      1,
      'rejected',
      2,
      2,
    ]);
    expect(await titlesOf(world.a.id)).toEqual(['a1', 'a2']);
    expect(await titlesOf(world.b.id)).toEqual(['b1', 'b2']);
  });

  it('should roll the head back with a transaction that fails after appending: no hole', async () => {
    const { handoff } = await createHandoff(
      world.database,
      world.a.id,
      alex,
      input,
      { status: 'disabled' },
      1,
    );
    await expect(
      world.database.write(async (tx) => {
        await appendHandoffEvent(tx.hot, world.a.id, 'handoff.claimed', handoff, alex, 2);
        throw new Error('the change failed after its event');
      }),
    ).rejects.toThrow('the change failed');
    expect(await create(world.a.id, 3)).toBe(2);
    expect(await seqsOf(world.a.id)).toEqual([1, 2]);
  });

  it('should refuse an event written past the head row, and an append for an account without one', async () => {
    await create(world.a.id);
    await expect(
      execute(
        world.database,
        sql`INSERT INTO events (account_id, seq, type, data, created_at)
          VALUES (${world.a.id}, 1, 'handoff.created', '{}', 1)`,
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/UNIQUE|duplicate key/) } });
    await execute(world.database, sql`DELETE FROM account_streams WHERE account_id = ${world.b.id}`);
    await expect(create(world.b.id)).rejects.toThrow(/no event stream head/);
  });
});
