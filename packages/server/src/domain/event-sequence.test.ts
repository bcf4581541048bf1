import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';
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
const seqsOf = (accountId: string) =>
  world.database.sqlite
    .prepare('SELECT seq FROM events WHERE account_id = ? ORDER BY seq')
    .pluck()
    .all(accountId) as number[];

const headOf = (accountId: string) =>
  world.database.sqlite
    .prepare('SELECT epoch, last_seq AS lastSeq FROM account_streams WHERE account_id = ?')
    .get(accountId);

describe('per-account event sequence', () => {
  it('should number each account densely from 1, whatever the other accounts write', () => {
    const create = (accountId: string) =>
      createHandoff(world.database, accountId, alex, input, { status: 'disabled' }, 1).eventSeq;
    expect([world.a.id, world.b.id, world.a.id, world.a.id, world.b.id].map(create)).toEqual([1, 1, 2, 3, 2]);
    expect(seqsOf(world.a.id)).toEqual([1, 2, 3]);
    expect(headOf(world.a.id)).toEqual({ epoch: 1, lastSeq: 3 });
  });

  it('should continue the sequence through transitions and assessments', () => {
    const { handoff } = createHandoff(world.database, world.a.id, alex, input, { status: 'pending' }, 1);
    const engineer = { id: 'eng', name: 'Eng', isAdmin: false };
    expect(transition(world.database, world.a.id, handoff.id, 'claim', engineer, 2).eventSeq).toBe(2);
    expect(
      recordAssessment(world.database, world.a.id, handoff.id, { status: 'timed_out' }, 3)?.eventSeq,
    ).toBe(3);
    expect(transition(world.database, world.a.id, handoff.id, 'start', engineer, 4).eventSeq).toBe(4);
    // Idempotent start: no event, no number taken.
    expect(transition(world.database, world.a.id, handoff.id, 'start', engineer, 5).eventSeq).toBeNull();
    expect(seqsOf(world.a.id)).toEqual([1, 2, 3, 4]);
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
    const titles = world.database.sqlite
      .prepare("SELECT json_extract(data, '$.handoff.title') FROM events WHERE account_id = ? ORDER BY seq")
      .pluck();
    expect(titles.all(world.a.id)).toEqual(['a1', 'a2']);
    expect(titles.all(world.b.id)).toEqual(['b1', 'b2']);
  });

  it('should roll the head back with a transaction that fails after appending: no hole', () => {
    const { handoff } = createHandoff(world.database, world.a.id, alex, input, { status: 'disabled' }, 1);
    expect(() =>
      world.database.write(() => {
        appendHandoffEvent(world.database, world.a.id, 'handoff.claimed', handoff, alex, 2);
        throw new Error('the change failed after its event');
      }),
    ).toThrow('the change failed');
    expect(createHandoff(world.database, world.a.id, alex, input, { status: 'disabled' }, 3).eventSeq).toBe(
      2,
    );
    expect(seqsOf(world.a.id)).toEqual([1, 2]);
  });

  it('should refuse an event written past the head row, and an append for an account without one', () => {
    createHandoff(world.database, world.a.id, alex, input, { status: 'disabled' }, 1);
    expect(() =>
      world.database.sqlite
        .prepare(
          "INSERT INTO events (account_id, seq, type, data, created_at) VALUES (?, 1, 'handoff.created', '{}', 1)",
        )
        .run(world.a.id),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
    world.database.sqlite.prepare('DELETE FROM account_streams WHERE account_id = ?').run(world.b.id);
    expect(() => createHandoff(world.database, world.b.id, alex, input, { status: 'disabled' }, 1)).toThrow(
      /no event stream head/,
    );
  });
});
