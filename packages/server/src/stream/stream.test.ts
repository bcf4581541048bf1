import { afterEach, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { createServices } from '../services.js';
import { createApp } from '../app.js';
import { InProcessBus } from '../bus.js';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/open-database.js';
import { createHandoff } from '../domain/handoffs.js';
import { createWorld, escalation, listen, testConfig, type TestWorld } from '../test/harness.js';
import { silentLogger } from '../test/silent-logger.js';
import { eventId, isDense, SseClient } from '../test/sse-client.js';
import { pruneEvents } from './retention.js';

let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>> | undefined;
const clients: SseClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
  await world.close();
});

async function open(token: string, lastEventId?: number | string): Promise<SseClient> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (lastEventId !== undefined)
    headers['Last-Event-ID'] = typeof lastEventId === 'number' ? eventId(lastEventId) : lastEventId;
  const client = await SseClient.connect(`${server!.url}/v1/stream`, headers);
  clients.push(client);
  return client;
}

/** Creates `count` escalations in account `which` directly (one event each), waking streams. */
async function createMany(which: 'a' | 'b', count: number): Promise<number[]> {
  const input = CreateHandoffRequestSchema.parse(escalation());
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const { eventSeq } = await createHandoff(
      world.database,
      world[which].id,
      { id: 'alex', name: 'Alex' },
      input,
      { status: 'disabled' },
      Date.now(),
    );
    seqs.push(eventSeq!);
    world.deps.bus.publish(world[which].id);
  }
  return seqs;
}

describe('live stream over HTTP', () => {
  it('should replay 9, 10, 11 to a client resuming from 8 of 11, then the live tail', async () => {
    world = await createWorld();
    server = await listen(world.app);
    const seqs = await createMany('a', 11);
    const client = await open(await world.a.token('viewer'), seqs[7]);
    await client.until((c) => c.ids.length >= 3);
    expect(client.ids).toEqual(seqs.slice(8));
    const live = await createMany('a', 2);
    await client.until((c) => c.ids.length >= 5);
    expect(client.ids).toEqual([...seqs.slice(8), ...live]);
    expect(client.frames[0]).toMatchObject({ event: 'handoff.created' });
    expect(JSON.parse(client.frames[0]!.data!).handoff.title).toBe(escalation().title);
  });

  it('should lose and duplicate nothing at the seam between replay and live tail', async () => {
    world = await createWorld();
    server = await listen(world.app);
    const backlog = await createMany('a', 1200);
    const token = await world.a.token('viewer');
    const connecting = open(token, 0);
    // Keep creating while the replay (several pages) is being written.
    const during: number[] = [];
    for (let round = 0; round < 40; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      during.push(...(await createMany('a', 5)));
    }
    const client = await connecting;
    const all = [...backlog, ...during];
    await client.until((c) => c.ids.length >= all.length, 10_000);
    expect(client.ids).toEqual(all);
    expect(new Set(client.ids).size).toBe(all.length);
    expect(isDense(client.ids)).toBe(true);
  });

  it("should never send account B's events to A, also when A sends B's event id", async () => {
    world = await createWorld();
    server = await listen(world.app);
    const a1 = await createMany('a', 2);
    const b1 = await createMany('b', 3);
    const client = await open(await world.a.token('viewer'), b1[0]);
    const a2 = await createMany('a', 1);
    await createMany('b', 2);
    const expected = [...a1.filter((seq) => seq > b1[0]!), ...a2];
    await client.until((c) => c.ids.length >= expected.length);
    // One more A event proves B's later events were skipped, not just slow.
    const a3 = await createMany('a', 1);
    await client.until((c) => c.ids.includes(a3[0]!));
    expect(client.ids).toEqual([...expected, ...a3]);
    for (const frame of client.frames) expect(frame.data).not.toContain(world.b.id);
  });

  it('should catch up in full after a server restart with Last-Event-ID', async () => {
    world = await createWorld();
    server = await listen(world.app);
    const token = await world.a.token('viewer');
    const before = await createMany('a', 3);
    const first = await open(token, 0);
    await first.until((c) => c.ids.length === 3);
    await world.services.stop();
    await server.close();
    await first.until((c) => c.ended);
    await world.database.close();

    // Writes while the server is down, through another connection to the same database.
    const offline = await openDatabase(world.config.database);
    const input = CreateHandoffRequestSchema.parse(escalation());
    const missed: number[] = [];
    for (let n = 0; n < 4; n++) {
      const alex = { id: 'alex', name: 'Alex' };
      missed.push(
        (await createHandoff(offline, world.a.id, alex, input, { status: 'disabled' }, Date.now())).eventSeq!,
      );
    }
    await offline.close();

    const database = await openDatabase(world.config.database);
    const services = createServices(
      { database, bus: new InProcessBus(), clock: systemClock, config: world.config, logger: silentLogger() },
      { assessor: null, mailer: null },
    );
    server = await listen(createApp(services.deps));
    world.database = database;
    world.services = services;
    const second = await open(token, first.ids.at(-1));
    await second.until((c) => c.ids.length === 4);
    expect([...first.ids, ...second.ids]).toEqual([...before, ...missed]);
  });

  it('should give a fresh connection its resume point, so a drop before any event loses nothing', async () => {
    world = await createWorld();
    server = await listen(world.app);
    const earlier = await createMany('a', 2);
    const token = await world.a.token('viewer');
    const fresh = await open(token);
    await fresh.until((c) => c.resumeId !== undefined);
    expect(fresh.resumeId).toBe(eventId(earlier[1]!));
    fresh.close();
    const missed = await createMany('a', 1);
    const resumed = await open(token, fresh.resumeId);
    await resumed.until((c) => c.ids.length === 1);
    expect(resumed.ids).toEqual(missed);
  });

  it('should send stream.reset when the Last-Event-ID is older than retention or unknown', async () => {
    world = await createWorld({ env: { EVENT_RETENTION_DAYS: '1' } });
    server = await listen(world.app);
    const input = CreateHandoffRequestSchema.parse(escalation());
    const old = (
      await createHandoff(
        world.database,
        world.a.id,
        { id: 'alex', name: 'Alex' },
        input,
        { status: 'disabled' },
        Date.now() - 3 * 86_400_000,
      )
    ).eventSeq!;
    const recent = await createMany('a', 1);
    expect(await pruneEvents(world.database, 1, Date.now())).toBe(1);
    const token = await world.a.token('viewer');

    const stale = await open(token, old - 1);
    await stale.until((c) => c.frames.some((f) => f.event === 'stream.reset'));
    expect(stale.ids).toEqual([]);

    const future = await open(token, recent[0]! + 1000);
    await future.until((c) => c.frames.some((f) => f.event === 'stream.reset'));
    const live = await createMany('a', 1);
    await future.until((c) => c.ids.length === 1);
    expect(future.ids).toEqual(live);
  });
});

describe('stream configuration', () => {
  it('should be documented in the OpenAPI document', async () => {
    world = await createWorld();
    const doc = (await (await world.call('GET', '/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain('/stream');
    expect(testConfig().stream.heartbeatMs).toBe(15_000);
  });
});
