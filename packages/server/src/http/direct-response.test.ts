import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, escalation, listen, type TestWorld } from '../test/harness.js';

let world: TestWorld;
let served: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  world = await createWorld();
  // Serving is what swaps in @hono/node-server's lightweight Response, so this comes first.
  served = await listen(world.app);
});
afterAll(async () => {
  await served.close();
  await world.close();
});

/**
 * Counts how often @hono/node-server's lightweight Response builds the web `Response`
 * behind it. A response that never does is written straight to the socket; one that
 * does is copied and read back out through a body stream, at several times the CPU.
 */
async function webResponsesBuiltDuring(work: () => Promise<void>): Promise<number> {
  const prototype = globalThis.Response.prototype as unknown as Record<
    symbol,
    (...args: unknown[]) => unknown
  >;
  const key = Object.getOwnPropertySymbols(prototype).find(
    (symbol) => symbol.description === 'getResponseCache',
  );
  if (!key) throw new Error('@hono/node-server no longer has a lightweight Response: revisit this test');
  const original = prototype[key]!;
  let built = 0;
  prototype[key] = function (this: unknown, ...args: unknown[]) {
    built++;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    prototype[key] = original;
  }
  return built;
}

describe('responses written directly by @hono/node-server', () => {
  it('should answer creates, lists and errors without building a web Response', async () => {
    const token = await world.a.token('technician');
    const call = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const response = await fetch(`${served.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response;
    };
    const statuses: number[] = [];
    const built = await webResponsesBuiltDuring(async () => {
      statuses.push((await call('POST', '/v1/handoffs', escalation())).status);
      statuses.push(
        (await call('POST', '/v1/handoffs', escalation(), { Origin: 'https://portal-a.example' })).status,
      );
      statuses.push((await call('GET', '/v1/handoffs')).status);
      statuses.push((await call('POST', '/v1/handoffs', { title: '' })).status);
      statuses.push((await call('GET', '/v1/no-such-route')).status);
    });
    expect(statuses).toEqual([201, 201, 200, 400, 404]);
    expect(built).toBe(0);
  });

  it('should count a response a middleware changes after its handler (the control)', async () => {
    // What hono's cors() and a header set after `next()` did: hono copies the finished response.
    const app = new Hono();
    app.use('*', async (c, next) => {
      await next();
      c.header('X-After', 'yes');
    });
    app.get('/', (c) => c.json({ ok: true }));
    const control = await listen(app);
    try {
      const built = await webResponsesBuiltDuring(async () => {
        const response = await fetch(control.url);
        expect(response.headers.get('X-After')).toBe('yes');
        await response.arrayBuffer();
      });
      expect(built).toBeGreaterThan(0);
    } finally {
      await control.close();
    }
  });
});
