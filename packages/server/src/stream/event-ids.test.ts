import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { createHandoff } from '../domain/handoffs.js';
import { createWorld, escalation, listen, type TestWorld } from '../test/harness.js';
import { isDense, SseClient } from '../test/sse-client.js';
import { sql } from 'drizzle-orm';
import { execute } from '../test/sql.js';
import { pruneEvents } from './retention.js';

let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>>;
let token: string;
const clients: SseClient[] = [];

beforeEach(async () => {
  world = await createWorld();
  server = await listen(world.app);
  token = await world.a.token('viewer');
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
  await world.close();
});

async function open(lastEventId?: string): Promise<SseClient> {
  const client = await SseClient.connect(`${server.url}/v1/stream`, {
    Authorization: `Bearer ${token}`,
    ...(lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }),
  });
  clients.push(client);
  return client;
}

/** Creates `count` escalations in account `which` (one event each) at `now`, waking streams. */
async function createMany(which: 'a' | 'b', count: number, now = Date.now()): Promise<void> {
  const input = CreateHandoffRequestSchema.parse(escalation());
  for (let i = 0; i < count; i++) {
    await createHandoff(
      world.database,
      world[which].id,
      { id: 'alex', name: 'Alex' },
      input,
      { status: 'disabled' },
      now,
    );
  }
  world.deps.bus.publish(world[which].id);
}

const rawIds = (client: SseClient) =>
  client.frames.flatMap((frame) => (frame.id === undefined ? [] : [frame.id]));

describe('stream event ids', () => {
  it('should send `<epoch>.<seq>` ids, dense per account, and the resume point in the same form', async () => {
    await createMany('a', 2);
    await createMany('b', 5);
    const fresh = await open();
    await fresh.until((c) => c.resumeId !== undefined);
    expect(fresh.resumeId).toBe('1.2');
    await createMany('b', 1);
    await createMany('a', 9);
    await fresh.until((c) => c.ids.length === 9);
    expect(rawIds(fresh)).toEqual(['1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11']);
    expect(isDense(fresh.ids)).toBe(true);

    const replayed = await open('1.9');
    await replayed.until((c) => c.ids.length === 2);
    expect(rawIds(replayed)).toEqual(['1.10', '1.11']);
  });

  it.each([
    ['a bare id from before epochs', '2'],
    ['a bare zero', '0'],
    ['another epoch', '2.1'],
    ['an earlier epoch', '0.1'],
    ['an id past the newest event', '1.99'],
  ])('should send stream.reset for %s, then the live tail from the head', async (_case, lastEventId) => {
    await createMany('a', 3);
    const client = await open(lastEventId);
    await client.until((c) => c.frames.some((f) => f.event === 'stream.reset'));
    expect(client.ids).toEqual([]);
    expect(client.resumeId).toBe('1.3');
    await createMany('a', 1);
    await client.until((c) => c.ids.length === 1);
    expect(rawIds(client)).toEqual(['1.4']);
  });

  it('should send stream.reset below the pruned point and resume from it', async () => {
    await createMany('a', 2, Date.now() - 3 * 86_400_000);
    await createMany('a', 1);
    expect(await pruneEvents(world.database, 1, Date.now())).toBe(2);
    const pruned = await open('1.1');
    await pruned.until((c) => c.frames.some((f) => f.event === 'stream.reset'));
    const fromPruned = await open('1.2');
    await fromPruned.until((c) => c.ids.length === 1);
    expect(rawIds(fromPruned)).toEqual(['1.3']);
    expect(fromPruned.frames.some((f) => f.event === 'stream.reset')).toBe(false);
  });

  it("should resume within the account's current epoch and reset the ids of the one before", async () => {
    await createMany('a', 2);
    // What the renumbering migration leaves: the same events under epoch 2.
    await execute(world.database, sql`UPDATE account_streams SET epoch = 2 WHERE account_id = ${world.a.id}`);
    const old = await open('1.1');
    await old.until((c) => c.frames.some((f) => f.event === 'stream.reset'));
    expect(old.resumeId).toBe('2.2');
    const current = await open('2.1');
    await current.until((c) => c.ids.length === 1);
    expect(rawIds(current)).toEqual(['2.2']);
  });

  it.each(['1.', '.5', '1.2.3', '1.-2', 'abc', '1,2'])(
    'should answer 400 naming the header for %j, neither form of id',
    async (lastEventId) => {
      const client = await open(lastEventId);
      await client.until((c) => c.ended);
      expect(client.status).toBe(400);
      expect(JSON.parse(client.body)).toMatchObject({
        error: { code: 'invalid_request', details: { fields: [{ path: 'header.last-event-id' }] } },
      });
    },
  );
});
