import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handoff, UserRef } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { findUser, upsertUser } from '../domain/users.js';
import { forgedTokens } from '../test/forged-tokens.js';
import { createWorld, listen, seedHandoff, type TestWorld } from '../test/harness.js';
import { queryRows } from '../test/sql.js';
import { findApiKey } from './api-keys.js';

const ROUTES = [
  'GET /v1/me',
  'POST /v1/handoffs',
  'GET /v1/handoffs',
  'GET /v1/handoffs/counts',
  'GET /v1/handoffs/:id',
  'POST /v1/handoffs/:id/claim',
  'POST /v1/handoffs/:id/release',
  'POST /v1/handoffs/:id/start',
  'POST /v1/handoffs/:id/resolve',
  'POST /v1/handoffs/:id/cancel',
  'PUT /v1/users/:id',
  'GET /v1/account/settings',
  'PUT /v1/account/settings',
  'GET /v1/analytics/escalations',
  'GET /v1/stream',
] as const;
type Route = (typeof ROUTES)[number];

const CREDENTIALS = [
  'no token',
  'expired',
  'not yet valid',
  'wrong aud',
  'alg none',
  'HS256 with the public key',
  'unknown kid',
  "account B's key",
  'viewer',
  'technician',
  'engineer',
  'admin',
  'API key',
  'API key + X-Acting-User',
] as const;
type Credential = (typeof CREDENTIALS)[number];

/**
 * Expected status per route (rows) and credential (columns, in CREDENTIALS order).
 * Every forged token claims `admin`, so accepting one would show up as a 2xx.
 * "account B's key" is a valid B admin token aimed at A's ids; its lists and
 * settings are B's own. "API key + X-Acting-User" acts as an engineer of A's roster.
 */
// prettier-ignore
const EXPECTED: Record<Route, readonly number[]> = {
  //                               none exp  nbf  aud  algN hs256 kid B    view tech eng  admin key  key+user
  'GET /v1/me':                    [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200],
  'POST /v1/handoffs':             [401, 401, 401, 401, 401, 401, 401, 201, 403, 201, 201, 201, 201, 201],
  'GET /v1/handoffs':              [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200],
  'GET /v1/handoffs/counts':       [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200],
  'GET /v1/handoffs/:id':          [401, 401, 401, 401, 401, 401, 401, 404, 200, 200, 200, 200, 200, 200],
  'POST /v1/handoffs/:id/claim':   [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403, 200],
  'POST /v1/handoffs/:id/release': [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403, 200],
  'POST /v1/handoffs/:id/start':   [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403, 200],
  'POST /v1/handoffs/:id/resolve': [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403, 200],
  'POST /v1/handoffs/:id/cancel':  [401, 401, 401, 401, 401, 401, 401, 404, 403, 200, 200, 200, 200, 200],
  'PUT /v1/users/:id':             [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 403, 200, 200, 200],
  'GET /v1/account/settings':      [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 403, 200, 403, 403],
  'PUT /v1/account/settings':      [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 403, 200, 403, 403],
  'GET /v1/analytics/escalations': [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 200, 200, 200, 200],
  'GET /v1/stream':                [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200],
};

/** Where a transition leaves a handoff, and the state the right person would act on. */
const TRANSITIONS = {
  claim: { seeded: 'open', after: 'claimed' },
  release: { seeded: 'claimed', after: 'open' },
  start: { seeded: 'claimed', after: 'started' },
  resolve: { seeded: 'claimed', after: 'resolved' },
  cancel: { seeded: 'open', after: 'cancelled' },
} as const;

/** Why each refused credential is refused: proves the token failed on that one defect. */
const REASONS: Partial<Record<Credential, RegExp>> = {
  'no token': /Bearer/,
  expired: /expired/,
  'not yet valid': /nbf/,
  'wrong aud': /aud/,
  'alg none': /ES256/,
  'HS256 with the public key': /ES256/,
  'unknown kid': /unknown/,
};

const ROSTER_ENGINEER = { id: 'rita', name: 'Rita Roster' };
const CELLS = ROUTES.flatMap((route) =>
  CREDENTIALS.map((credential, column) => ({ route, credential, expected: EXPECTED[route][column]! })),
);
const results = new Map<string, number>();

let world: TestWorld;
/** The stream needs a real socket; every other cell goes through `app.request`. */
let server: Awaited<ReturnType<typeof listen>>;
const auth = new Map<Credential, { token?: string; headers?: Record<string, string>; actor: UserRef }>();

beforeAll(async () => {
  world = await createWorld();
  server = await listen(world.app);
  await seedHandoff(world.database, world.a.id);
  await upsertUser(
    world.database,
    world.a.id,
    { ...ROSTER_ENGINEER, email: null, role: 'engineer' },
    Date.now(),
  );
  const apiKeyId = (await findApiKey(world.database, world.a.apiKey))!.id;
  const someone = { id: 'engineer-1', name: 'Engineer One' };
  auth.set('no token', { actor: someone });
  for (const [credential, token] of Object.entries(await forgedTokens(world.a))) {
    auth.set(credential as Credential, { token, actor: someone });
  }
  auth.set("account B's key", {
    token: await world.b.token('admin'),
    actor: { id: 'admin-1', name: 'Admin One' },
  });
  for (const role of ['viewer', 'technician', 'engineer', 'admin'] as const) {
    const actor = { id: `${role}-1`, name: `${role[0]!.toUpperCase()}${role.slice(1)} One` };
    auth.set(role, { token: await world.a.token(role), actor });
  }
  auth.set('API key', { token: world.a.apiKey, actor: { id: `key:${apiKeyId}`, name: 'Host integration' } });
  auth.set('API key + X-Acting-User', {
    token: world.a.apiKey,
    headers: { 'X-Acting-User': ROSTER_ENGINEER.id },
    actor: ROSTER_ENGINEER,
  });
});
afterAll(async () => {
  await server.close();
  await world.close();
});

/** Opens the stream over HTTP and reads only its head: a 200 stream never ends. */
async function openStream(headers: Record<string, string>) {
  const aborter = new AbortController();
  const response = await fetch(`${server.url}/v1/stream`, { headers, signal: aborter.signal });
  const text = response.ok ? '' : await response.text();
  if (response.ok) expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  aborter.abort();
  return { status: response.status, ok: response.ok, text };
}

/** Sends one cell's request; for a transition, on a fresh handoff the credential's person may act on. */
async function send(route: Route, credential: Credential, cell: number) {
  const { token, headers, actor } = auth.get(credential)!;
  const [method, template] = route.split(' ') as [string, string];
  const action = template.split('/').at(-1) as keyof typeof TRANSITIONS;
  let handoff: Handoff | undefined;
  if (template.includes(':id') && !template.startsWith('/v1/users')) {
    const claimed = TRANSITIONS[action]?.seeded === 'claimed';
    handoff = await seedHandoff(world.database, world.a.id, {
      createdBy: actor,
      ...(claimed ? { claimedBy: actor } : {}),
    });
  }
  const path = template.replace(':id', handoff?.id ?? `synced-${cell}`);
  const bodies: Record<string, unknown> = {
    'POST /v1/handoffs': { title: `Cell ${cell}`, problemSummary: 'Printer offline.' },
    'PUT /v1/users/:id': { name: `Synced ${cell}`, role: 'engineer' },
    'PUT /v1/account/settings': { manualBaselineMinutes: 20 + (cell % 10) },
  };
  if (route === 'GET /v1/stream') {
    return {
      ...(await openStream({ ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) })),
      handoff,
      action,
    };
  }
  const response = await world.call(method, path, {
    ...(token ? { token } : {}),
    headers,
    body: bodies[route],
  });
  return { status: response.status, ok: response.ok, text: await response.text(), handoff, action };
}

describe(`permission matrix (${ROUTES.length} routes × ${CREDENTIALS.length} credentials = ${CELLS.length} cells)`, () => {
  it.each(CELLS.map((cell, index) => ({ ...cell, index })))(
    'should answer $route with $credential by $expected',
    async ({ route, credential, expected, index }) => {
      const { status, ok, text, handoff, action } = await send(route, credential, index);
      results.set(`${route} × ${credential}`, status);
      expect(status, text).toBe(expected);

      if (expected >= 400) {
        const code = {
          401: credential === 'expired' ? 'token_expired' : 'unauthorized',
          403: 'forbidden',
          404: 'not_found',
        }[expected];
        const { error } = JSON.parse(text) as { error: { code: string; message: string } };
        expect(error.code).toBe(code);
        if (expected === 401) expect(error.message).toMatch(REASONS[credential]!);
      }
      if (credential === "account B's key") {
        const idsOfA = (
          await queryRows<{ id: string }>(
            world.database,
            sql`SELECT id FROM handoffs WHERE account_id = ${world.a.id}`,
          )
        ).map((row) => row.id);
        expect(idsOfA.length).toBeGreaterThan(0);
        for (const id of [world.a.id, ...idsOfA]) expect(text).not.toContain(id);
      }
      if (handoff && action in TRANSITIONS) {
        const [row] = await queryRows<{ status: string }>(
          world.database,
          sql`SELECT status FROM handoffs WHERE id = ${handoff.id}`,
        );
        const transition = TRANSITIONS[action];
        expect(row!.status).toBe(ok ? transition.after : handoff.status);
      }
      if (route === 'PUT /v1/users/:id') {
        expect((await findUser(world.database, world.a.id, `synced-${index}`)) !== null).toBe(
          ok && credential !== "account B's key",
        );
      }
    },
  );

  it('should have answered every cell with 0 unexpected 2xx', () => {
    const unexpected = CELLS.filter(
      ({ route, credential, expected }) =>
        expected >= 300 && (results.get(`${route} × ${credential}`) ?? 0) < 300,
    ).map(({ route, credential }) => `${route} × ${credential} → ${results.get(`${route} × ${credential}`)}`);
    expect(results.size).toBe(CELLS.length);
    expect(unexpected).toEqual([]);
    console.log(
      `permission matrix: ${ROUTES.length} routes × ${CREDENTIALS.length} credentials = ${CELLS.length} cells, ` +
        `${CELLS.filter((cell) => cell.expected < 300).length} allowed, ${CELLS.filter((cell) => cell.expected >= 300).length} refused, 0 unexpected 2xx`,
    );
  });
});
