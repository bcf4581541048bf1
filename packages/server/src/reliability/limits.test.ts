import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '@resolutionflow/types';
import { fingerprint } from '../test/db-fingerprint.js';
import { createWorld, escalation, listen, ManualClock, type TestWorld } from '../test/harness.js';
import { sized } from '../test/soak.js';
import { SseClient } from '../test/sse-client.js';

const BURST = 5;
/** Writes fired at once by one user, and streams opened at once by one user. */
const WRITES = sized(20, 200);
const RUSH = sized(10, 100);
const BODY_LIMIT = 64 * 1024;
const STREAMS_PER_USER = 3;

let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>>;
const clients: SseClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  await world?.close();
});

async function start(env: Record<string, string>, clock?: ManualClock) {
  world = await createWorld({ env, ...(clock ? { clock } : {}) });
  server = await listen(world.app);
}

async function post(path: string, token: string, body: unknown, method = 'POST') {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('Retry-After'),
    body: (await response.json()) as unknown,
  };
}

/** Sends `body` with node:http, chunked (no Content-Length) when asked; keeps an early answer even if the upload is cut. */
function send(
  path: string,
  token: string,
  body: string,
  chunked: boolean,
  method = 'POST',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    };
    if (!chunked) headers['Content-Length'] = Buffer.byteLength(body);
    let answered = false;
    const req = request(`${server.url}${path}`, { method, headers, agent: false }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    for (let at = 0; at < body.length; at += 8192) req.write(body.slice(at, at + 8192));
    req.end();
  });
}

/** A JSON body of exactly `bytes` bytes, padding one string field of `template`. */
function bodyOf(bytes: number, template: (pad: string) => unknown): string {
  const empty = JSON.stringify(template('')).length;
  return JSON.stringify(template('p'.repeat(bytes - empty)));
}

describe('write rate limit', () => {
  it('should answer a burst past the limit with 429 and Retry-After, and leave reads and other users alone', async () => {
    const clock = new ManualClock(Date.now());
    await start({ RATE_LIMIT_WRITE_BURST: String(BURST), RATE_LIMIT_WRITES_PER_SECOND: '1' }, clock);
    const token = await world.a.token('technician', { id: 'bursty' });
    const before = await fingerprint(world.database);
    const burst = await Promise.all(
      Array.from({ length: WRITES }, () => post('/v1/handoffs', token, escalation())),
    );
    const created = burst.filter((r) => r.status === 201);
    const limited = burst.filter((r) => r.status === 429);
    expect(created).toHaveLength(BURST);
    expect(limited).toHaveLength(WRITES - BURST);
    for (const refusal of limited) {
      expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);
      expect((refusal.body as ErrorResponse).error).toMatchObject({
        code: 'rate_limited',
        details: { retryAfter: Number(refusal.retryAfter) },
      });
    }
    expect((await fingerprint(world.database)).counts.handoffs).toBe(before.counts.handoffs! + BURST);

    const keyBurst = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        post(`/v1/users/synced-${n}`, world.a.apiKey, { name: `Synced ${n}`, role: 'viewer' }, 'PUT'),
      ),
    );
    expect(keyBurst.filter((r) => r.status === 200)).toHaveLength(BURST);
    const reads = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${server.url}/v1/handoffs`, { headers: { Authorization: `Bearer ${token}` } }),
      ),
    );
    expect(reads.every((r) => r.status === 200)).toBe(true);
    const other = await world.a.token('technician', { id: 'calm' });
    const others = await Promise.all(
      Array.from({ length: BURST }, () => post('/v1/handoffs', other, escalation())),
    );
    expect(others.every((r) => r.status === 201)).toBe(true);

    clock.advance(Number(limited[0]!.retryAfter) * 1000);
    expect((await post('/v1/handoffs', token, escalation())).status).toBe(201);
    expect((await post('/v1/handoffs', token, escalation())).status).toBe(429);
    console.log(
      `limits: a burst of ${WRITES} creates → ${created.length} × 201, ${limited.length} × 429 each with Retry-After ${limited[0]!.retryAfter} s; ` +
        `an API key's burst of 12 roster syncs → ${keyBurst.filter((r) => r.status === 200).length} × 200; 50/50 reads and ${BURST}/${BURST} ` +
        `creates by another user unaffected; one more write allowed after Retry-After`,
    );
  });
});

describe('request body limit', () => {
  it('should answer bodies over the limit with 413 on every write route, with or without Content-Length', async () => {
    await start({});
    const technician = await world.a.token('technician');
    const admin = await world.a.token('admin');
    const { id } = (await post('/v1/handoffs', technician, escalation())).body as { id: string };
    const routes = [
      {
        path: '/v1/handoffs',
        token: technician,
        method: 'POST',
        template: (pad: string) => ({ title: 'x', problemSummary: pad }),
      },
      {
        path: '/v1/users/padded',
        token: world.a.apiKey,
        method: 'PUT',
        template: (pad: string) => ({ name: pad, role: 'viewer' }),
      },
      {
        path: '/v1/account/settings',
        token: admin,
        method: 'PUT',
        template: (pad: string) => ({ allowedOrigins: [`https://${pad}.example`] }),
      },
      {
        path: `/v1/handoffs/${id}/claim`,
        token: admin,
        method: 'POST',
        template: (pad: string) => ({ note: pad }),
      },
    ];
    const figures: string[] = [];
    for (const route of routes) {
      const before = await fingerprint(world.database);
      const outcomes: Record<string, number> = {};
      for (const [name, bytes, chunked] of [
        ['over by 1 byte', BODY_LIMIT + 1, false],
        ['over by 1 byte, chunked', BODY_LIMIT + 1, true],
        ['1 MB', 1024 * 1024, false],
        ['8 MB, chunked', 8 * 1024 * 1024, true],
      ] as const) {
        const { status, text } = await send(
          route.path,
          route.token,
          bodyOf(bytes, route.template),
          chunked,
          route.method,
        );
        outcomes[name] = status;
        expect(status, `${route.method} ${route.path} ${name}`).toBe(413);
        expect(JSON.parse(text)).toMatchObject({ error: { code: 'payload_too_large' } });
      }
      expect(await fingerprint(world.database), `${route.path} changed the database`).toEqual(before);
      const atLimit = await send(
        route.path,
        route.token,
        bodyOf(BODY_LIMIT, route.template),
        false,
        route.method,
      );
      expect(atLimit.status, `${route.path} at the limit`).not.toBe(413);
      expect(atLimit.status).toBeLessThan(500);
      figures.push(
        `${route.method} ${route.path.replace(id, ':id')}: at the limit ${atLimit.status}, over it 4 × 413`,
      );
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    console.log(
      `limits: body limit ${BODY_LIMIT} bytes — ${figures.join('; ')} (over by 1 byte, chunked, 1 MB, 8 MB chunked); database unchanged`,
    );
  });
});

describe('streams per user', () => {
  const open = async (token: string) => {
    const client = await SseClient.connect(`${server.url}/v1/stream`, { Authorization: `Bearer ${token}` });
    clients.push(client);
    return client;
  };

  it('should refuse more than the allowed streams for one user with 429, while other users are unaffected', async () => {
    await start({ STREAM_MAX_PER_USER: String(STREAMS_PER_USER) });
    const sam = await world.a.token('viewer', { id: 'sam' });
    const rush = await Promise.all(Array.from({ length: RUSH }, () => open(sam)));
    const accepted = rush.filter((client) => client.status === 200);
    const refused = rush.filter((client) => client.status === 429);
    expect(accepted).toHaveLength(STREAMS_PER_USER);
    expect(refused).toHaveLength(RUSH - STREAMS_PER_USER);
    for (const client of refused) {
      await client.until((c) => c.ended);
      expect(Number(client.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(client.body)).toMatchObject({ error: { code: 'rate_limited' } });
    }
    const unaffected = [
      await open(await world.a.token('viewer', { id: 'kim' })),
      await open(await world.b.token('viewer', { id: 'sam' })),
      await open(world.a.apiKey),
    ];
    expect(unaffected.map((client) => client.status)).toEqual([200, 200, 200]);

    // A closed stream frees its slot.
    const openBefore = world.services.streams.size;
    accepted[0]!.close();
    while (world.services.streams.size === openBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await open(sam)).status).toBe(200);
    expect((await open(sam)).status).toBe(429);
    console.log(
      `limits: ${rush.length} concurrent streams for one user (limit ${STREAMS_PER_USER}) → ${accepted.length} × 200, ${refused.length} × 429 with Retry-After; ` +
        `another user, the same user id in another account and an API key unaffected (3/3 × 200); a closed stream frees its slot`,
    );
  });
});
