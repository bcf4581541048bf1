import { afterEach, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { createHandoff } from '../domain/handoffs.js';
import { createLogger } from '../logger.js';
import type { SqliteDatabase } from '../db/sqlite/sqlite-database.js';
import { TEST_DIALECT } from '../test/test-database.js';
import { createWorld, escalation, listen, type TestWorld } from '../test/harness.js';
import { SseClient } from '../test/sse-client.js';

let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>> | undefined;
const clients: SseClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
  await world.close();
});

async function start(env: Record<string, string> = {}, logger?: ReturnType<typeof createLogger>) {
  world = await createWorld({ env, ...(logger ? { logger } : {}) });
  server = await listen(world.app);
}

async function open(token: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.connect(`${server!.url}/v1/stream`, {
    Authorization: `Bearer ${token}`,
    ...headers,
  });
  clients.push(client);
  return client;
}

/** Creates escalations with a large summary, so a stalled reader fills its buffers quickly. */
async function createLarge(count: number): Promise<number> {
  const input = CreateHandoffRequestSchema.parse(escalation({ problemSummary: 'x'.repeat(4900) }));
  let last = 0;
  for (let i = 0; i < count; i++) {
    last = (
      await createHandoff(
        world.database,
        world.a.id,
        { id: 'alex', name: 'Alex' },
        input,
        { status: 'disabled' },
        Date.now(),
      )
    ).eventSeq!;
  }
  world.deps.bus.publish(world.a.id);
  return last;
}

describe('stream traps (DESIGN §6)', () => {
  it('should send a comment at once on connect, before any event exists', async () => {
    await start();
    const client = await open(await world.a.token('viewer'));
    await client.until((c) => c.comments.length > 0, 1000);
    expect(client.comments[0]).toBe('connected');
    expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  });

  it('should never compress the event stream', async () => {
    await start();
    const client = await open(await world.a.token('viewer'), { 'Accept-Encoding': 'gzip, deflate, br' });
    await client.until((c) => c.comments.length > 0);
    expect(client.headers['content-encoding']).toBeUndefined();
    expect(client.headers['cache-control']).toContain('no-transform');
  });

  it('should notice a disconnect without writing to it', async () => {
    await start();
    const client = await open(await world.a.token('viewer'));
    await client.until((c) => c.comments.length > 0);
    expect(world.services.streams.size).toBe(1);
    client.close();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (world.services.streams.size === 0) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    expect(world.services.streams.size).toBe(0);
  });

  it('should answer a bad Last-Event-ID or a bad token with JSON and no internals', async () => {
    await start();
    const bad = await open(await world.a.token('viewer'), { 'Last-Event-ID': '12; drop table events' });
    await bad.until((c) => c.ended);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'invalid_request' } });
    const unauthorised = await open('not-a-token');
    await unauthorised.until((c) => c.ended);
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.body).not.toMatch(/at |\.ts|\.js|Error:/);
  });

  it('should send heartbeats at the configured interval', async () => {
    await start({ SSE_HEARTBEAT_SECONDS: '0.1' });
    const client = await open(await world.a.token('viewer'));
    await client.until((c) => c.comments.filter((comment) => comment === 'heartbeat').length >= 2, 2000);
  });

  it('should end the stream at token expiry with stream.expired', async () => {
    await start();
    const client = await open(await world.a.token('viewer', {}, 1));
    await client.until((c) => c.ended, 4000);
    expect(client.frames.at(-1)?.event).toBe('stream.expired');
  });

  it('should cut a client that stops reading without delaying another', async () => {
    await start({ STREAM_BUFFER_BYTES: '65536', STREAM_SLOW_CLIENT_SECONDS: '1' });
    const token = await world.a.token('viewer');
    const slow = await open(token);
    const healthy = await open(await world.a.token('viewer', { id: 'other' }));
    await slow.until((c) => c.comments.length > 0);
    slow.pause();
    let last = 0;
    const started = Date.now();
    for (let round = 0; round < 40 && world.services.streams.size > 1; round++) {
      last = await createLarge(100);
      const target = last;
      await healthy.until((c) => c.ids.at(-1) === target, 5000);
    }
    expect(world.services.streams.size).toBe(1);
    expect(healthy.ids.at(-1)).toBe(last);
    expect(new Set(healthy.ids).size).toBe(healthy.ids.length);
    console.log(
      `slow consumer: cut after ${healthy.ids.length} events in ${Date.now() - started} ms; healthy client received all`,
    );
  });

  it('should log a cut by the buffer bound, with its reason, as the timed sweep logs its cuts', async () => {
    const cuts: Record<string, unknown>[] = [];
    const logger = createLogger('warn', {
      write(text: string) {
        const line = JSON.parse(text) as Record<string, unknown>;
        if (line.msg === 'cut a slow stream client') cuts.push(line);
      },
    });
    // The sweep would wait a minute: only the 64 KB bound can cut here.
    await start({ STREAM_BUFFER_BYTES: '65536', STREAM_SLOW_CLIENT_SECONDS: '60' }, logger);
    const slow = await open(await world.a.token('viewer'));
    await slow.until((c) => c.comments.length > 0);
    slow.pause();
    for (let round = 0; round < 40 && world.services.streams.size > 0; round++) {
      await createLarge(100);
      // Pacing only: lets the hub write and the socket fill between rounds.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(world.services.streams.size).toBe(0);
    // pino writes synchronously: the line is there as soon as the cut happened.
    expect(cuts).toHaveLength(1);
    expect(cuts[0]).toMatchObject({ level: 40, reason: 'buffer', account: world.a.id });
    expect(cuts[0]!.bufferedBytes).toBeGreaterThan(65536);
  });

  it('should tell streams to retry and close them cleanly on shutdown', async () => {
    await start();
    const client = await open(await world.a.token('viewer'));
    await client.until((c) => c.comments.length > 0);
    world.services.streams.close();
    await client.until((c) => c.ended);
    expect(client.frames.at(-1)).toMatchObject({ retry: '1000' });
  });

  it('should refuse more streams per user than allowed with 429', async () => {
    await start({ STREAM_MAX_PER_USER: '2' });
    const token = await world.a.token('viewer');
    await open(token);
    await open(token);
    const third = await open(token);
    await third.until((c) => c.ended);
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
  });

  it('should carry CORS headers for an allowed origin', async () => {
    await start();
    const client = await open(await world.a.token('viewer'), { Origin: 'https://portal-a.example' });
    await client.until((c) => c.comments.length > 0);
    expect(client.headers['access-control-allow-origin']).toBe('https://portal-a.example');
  });
});

describe('storage traps', () => {
  it('should not show a read a write transaction that is still open, nor one that rolls back', async () => {
    world = await createWorld();
    const { accounts } = world.database.tables;
    const names = async () => (await world.database.db.select().from(accounts)).map((row) => row.name);
    let commit!: () => void;
    let inserted!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    const insertDone = new Promise<void>((resolve) => (inserted = resolve));
    const writing = world.database.write(async ({ db }) => {
      await db.insert(accounts).values({ id: 'in-flight', name: 'In flight', createdAt: 1 });
      inserted();
      await held;
    });
    await insertDone;
    expect(await names()).not.toContain('In flight');
    commit();
    await writing;
    expect(await names()).toContain('In flight');
    await expect(
      world.database.write(async ({ db }) => {
        await db.insert(accounts).values({ id: 'rolled-back', name: 'Rolled back', createdAt: 1 });
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect(await names()).not.toContain('Rolled back');
  });

  it.runIf(TEST_DIALECT === 'sqlite')('should hold WAL and synchronous=FULL on SQLite', async () => {
    world = await createWorld();
    const { sqlite } = world.database as SqliteDatabase;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
