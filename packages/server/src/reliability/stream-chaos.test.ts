import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { createHandoff } from '../domain/handoffs.js';
import { createWorld, escalation, listen, type TestWorld } from '../test/harness.js';
import { sized } from '../test/soak.js';
import { isDense, seqOf } from '../test/sse-client.js';

// The widget's own core client is browser code: it needs `window` timers, a `document` to
// (un)listen for visibility, the global online/offline listeners and `navigator.onLine` (which
// Node 20 does not have). A minimal stand-in.
const globals = globalThis as Record<string, unknown>;
globals.window ??= globalThis;
globals.document ??= Object.assign(new EventTarget(), { hidden: false, visibilityState: 'visible' });
globals.addEventListener ??= () => undefined;
globals.removeEventListener ??= () => undefined;
globals.navigator ??= { onLine: true };
const { LiveConnection, TokenSource } = await import('@resolutionflow/widget/core');

const CLIENTS = 20;
const SECONDS = sized(6, 60);
const PER_SECOND = 100;
/** The load itself plus up to a minute of catching up after the last cut. */
const TIMEOUT_MS = (SECONDS + 90) * 1000;

/** A loopback proxy that cuts every connection after a random 0.5–5 s, often mid-event. */
async function cuttingProxy(target: number) {
  const sockets = new Set<Socket>();
  let cutting = true;
  let cuts = 0;
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    const timer = setTimeout(
      () => {
        if (!cutting) return;
        cuts += 1;
        drop();
      },
      500 + Math.random() * 4500,
    );
    timer.unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get cuts() {
      return cuts;
    },
    stopCutting() {
      cutting = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe(`stream chaos (${CLIENTS} widget core clients through a cutting proxy, ${PER_SECOND}/s for ${SECONDS} s)`, () => {
  let world: TestWorld;
  let server: Awaited<ReturnType<typeof listen>>;
  let proxy: Awaited<ReturnType<typeof cuttingProxy>>;

  beforeAll(async () => {
    world = await createWorld({ env: { SSE_HEARTBEAT_SECONDS: '1', STREAM_MAX_PER_USER: '50' } });
    server = await listen(world.app);
    proxy = await cuttingProxy(Number(new URL(server.url).port));
  });

  afterAll(async () => {
    await proxy.close();
    await server.close();
    await world.close();
  });

  it(
    'should leave every client with exactly the full sequence: no gap, no duplicate',
    async () => {
      const received: number[][] = [];
      const unsubscribers: (() => void)[] = [];
      let expectedCount = Infinity;
      let allCaughtUp: () => void = () => undefined;
      const caughtUp = new Promise<void>((resolve) => (allCaughtUp = resolve));
      const check = () => {
        if (received.every((ids) => ids.length >= expectedCount)) allCaughtUp();
      };
      const opened: Promise<void>[] = [];
      for (let n = 0; n < CLIENTS; n++) {
        const token = await world.a.token('viewer', { id: `chaos-${n}` }, 3600);
        const ids: number[] = [];
        received.push(ids);
        const live = new LiveConnection(`${proxy.url}/v1/stream`);
        let isLive!: () => void;
        opened.push(new Promise<void>((resolve) => (isLive = resolve)));
        const listener = {
          onEvent: (_data: unknown, id: string) => {
            ids.push(seqOf(id));
            check();
          },
          onStatus: (status: string) => {
            if (status === 'live') isLive();
          },
        };
        unsubscribers.push(live.subscribe(listener, new TokenSource(() => ({ token }))));
      }
      // Every client holds a resume point before the first escalation: one whose first attempt the
      // proxy cut must not start fresh after events began (the widget would refetch; here it would
      // look like a gap).
      await Promise.all(opened);

      const input = CreateHandoffRequestSchema.parse(escalation());
      const expected: number[] = [];
      const started = Date.now();
      for (let tick = 0; tick < SECONDS * 10; tick++) {
        for (let k = 0; k < PER_SECOND / 10; k++) {
          const { eventSeq } = await createHandoff(
            world.database,
            world.a.id,
            { id: 'alex', name: 'Alex' },
            input,
            { status: 'disabled' },
            Date.now(),
          );
          expected.push(eventSeq!);
        }
        world.deps.bus.publish(world.a.id);
        // Pacing the load at 100/s, not waiting for an outcome.
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, started + (tick + 1) * 100 - Date.now())),
        );
      }
      proxy.stopCutting();

      expectedCount = expected.length;
      check();
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 60_000).unref());
      await Promise.race([caughtUp, timeout]);
      for (const unsubscribe of unsubscribers) unsubscribe();

      const gaps = received.map((ids) => expected.filter((seq) => !ids.includes(seq)).length);
      const duplicates = received.map((ids) => ids.length - new Set(ids).size);
      console.log(
        `stream chaos: ${CLIENTS} clients, ${expected.length} escalations in ${SECONDS} s, ${proxy.cuts} connections cut; ` +
          `gaps ${gaps.reduce((a, b) => a + b, 0)}, duplicates ${duplicates.reduce((a, b) => a + b, 0)}`,
      );
      expect(isDense(expected)).toBe(true);
      for (const ids of received) expect(ids).toEqual(expected);
    },
    TIMEOUT_MS,
  );
});
