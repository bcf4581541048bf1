import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION_POLICY,
  type Handoff,
  type HandoffPage,
  type MeResponse,
} from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { importJWK, SignJWT } from 'jose';
import { getSettings } from '../domain/accounts.js';
import { transition } from '../domain/transitions.js';
import { findUser, upsertUser } from '../domain/users.js';
import { createWorld, rowCounts, seedHandoff, type TestWorld } from '../test/harness.js';
import { queryNumber, queryRows } from '../test/sql.js';

let world: TestWorld;
/** A's handoffs in each live state: open, claimed and started by A's `engineer-1`. */
let ofA: Handoff[];

beforeEach(async () => {
  world = await createWorld();
  const engineer = { id: 'engineer-1', name: 'Engineer One' };
  const open = await seedHandoff(world.database, world.a.id);
  const claimed = await seedHandoff(world.database, world.a.id, { claimedBy: engineer });
  const started = await seedHandoff(world.database, world.a.id, { claimedBy: engineer });
  await transition(
    world.database,
    world.a.id,
    started.id,
    'start',
    { ...engineer, isAdmin: false },
    Date.now(),
  );
  ofA = [open, claimed, started];
  await upsertUser(
    world.database,
    world.a.id,
    { id: 'only-in-a', name: 'A Person', email: null, role: 'admin' },
    Date.now(),
  );
  await upsertUser(
    world.database,
    world.b.id,
    { id: 'b-admin', name: 'B Admin', email: null, role: 'admin' },
    Date.now(),
  );
});
afterEach(() => world.close());

const ACTIONS = ['claim', 'release', 'start', 'resolve', 'cancel'] as const;

/** A snapshot of everything A owns, to compare before and after B's attempts. */
const stateOfA = async () => ({
  handoffs: await queryRows(
    world.database,
    sql`SELECT * FROM handoffs WHERE account_id = ${world.a.id} ORDER BY id`,
  ),
  events: await queryNumber(
    world.database,
    sql`SELECT count(*) FROM events WHERE account_id = ${world.a.id}`,
  ),
  users: await queryRows(
    world.database,
    sql`SELECT * FROM users WHERE account_id = ${world.a.id} ORDER BY id`,
  ),
  settings: await getSettings(world.database, world.a.id),
});

/** B's credentials, each with every permission the routes ask for except the plain API key. */
async function credentialsOfB(): Promise<
  { name: string; token: string; headers: Record<string, string>; mayAct: boolean }[]
> {
  return [
    { name: 'B engineer token', token: await world.b.token('engineer'), headers: {}, mayAct: true },
    { name: 'B admin token', token: await world.b.token('admin'), headers: {}, mayAct: true },
    {
      name: 'B API key as B admin',
      token: world.b.apiKey,
      headers: { 'X-Acting-User': 'b-admin' },
      mayAct: true,
    },
    { name: 'B API key', token: world.b.apiKey, headers: {}, mayAct: false },
  ];
}

describe('tenant isolation', () => {
  it("should answer B's reads and changes of A's handoffs exactly as for ids that do not exist", async () => {
    const before = await stateOfA();
    for (const credential of await credentialsOfB()) {
      for (const handoff of ofA) {
        const attempts = [['GET', ''], ...ACTIONS.map((action) => ['POST', `/${action}`])] as const;
        for (const [method, suffix] of attempts) {
          const real = await world.call(method, `/v1/handoffs/${handoff.id}${suffix}`, credential);
          const guessed = await world.call(
            method,
            `/v1/handoffs/${crypto.randomUUID()}${suffix}`,
            credential,
          );
          const label = `${credential.name} ${method} ${suffix || 'read'}`;
          expect(real.status, label).toBeGreaterThanOrEqual(400);
          expect(await real.json(), label).toEqual(await guessed.json());
          expect(real.status, label).toBe(guessed.status);
          if (credential.mayAct || method === 'GET' || suffix === '/cancel')
            expect(real.status, label).toBe(404);
        }
      }
    }
    expect(await stateOfA()).toEqual(before);
  });

  it("should never list or count A's handoffs for B, in any filter, order or page", async () => {
    const ofB = [
      await seedHandoff(world.database, world.b.id),
      await seedHandoff(world.database, world.b.id),
    ];
    const idsOfA = new Set(ofA.map((handoff) => handoff.id));
    for (const credential of await credentialsOfB()) {
      for (const query of ['', 'status=open', 'status=claimed,started', 'order=newest', 'order=priority']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: string = `/v1/handoffs?limit=1&${query}${cursor ? `&cursor=${cursor}` : ''}`;
          const response = await world.call('GET', page, credential);
          expect(response.status).toBe(200);
          const body = (await response.json()) as HandoffPage;
          seen.push(...body.items.map((item) => item.id));
          cursor = body.nextCursor;
        } while (cursor);
        expect(
          seen.filter((id) => idsOfA.has(id)),
          `${credential.name} ?${query}`,
        ).toEqual([]);
        const expected = query.includes('claimed') ? [] : ofB.map((handoff) => handoff.id);
        expect(seen.sort(), `${credential.name} ?${query}`).toEqual(expected.sort());
      }
    }
  });

  it('should answer 404 to random and guessed ids for every account', async () => {
    const near = (id: string) => `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
    const guesses = [
      '00000000-0000-0000-0000-000000000000',
      ...Array.from({ length: 20 }, () => crypto.randomUUID()),
      ...ofA.map((handoff) => near(handoff.id)),
    ];
    const tokens = [
      await world.a.token('admin'),
      await world.b.token('admin'),
      world.a.apiKey,
      world.b.apiKey,
    ];
    for (const token of tokens) {
      for (const id of guesses) {
        const response = await world.call('GET', `/v1/handoffs/${id}`, { token });
        expect(response.status, id).toBe(404);
        expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Handoff not found' } });
      }
    }
  });

  it("should refuse with 403 an API key acting as a user of the other account's roster", async () => {
    const before = await rowCounts(world.database);
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/handoffs'],
      ['POST', `/v1/handoffs/${ofA[0]!.id}/claim`],
      ['POST', '/v1/handoffs'],
    ] as const) {
      const response = await world.call(method, path, {
        token: world.b.apiKey,
        headers: { 'X-Acting-User': 'only-in-a' },
        ...(method === 'POST' ? { body: { title: 'Sneaky', problemSummary: 'Acting as A' } } : {}),
      });
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    const reverse = await world.call('GET', '/v1/me', {
      token: world.a.apiKey,
      headers: { 'X-Acting-User': 'b-admin' },
    });
    expect(reverse.status).toBe(403);
    expect(await rowCounts(world.database)).toEqual(before);
    expect(await findUser(world.database, world.b.id, 'only-in-a')).toBeNull();
  });

  it("should keep B's roster sync and settings changes inside B", async () => {
    const B_POLICY = { unclaimed: [{ afterSeconds: 5, notify: 'admins' }], claimedNotStarted: [] };
    const before = await stateOfA();
    const synced = await world.call('PUT', '/v1/users/only-in-a', {
      token: world.b.apiKey,
      body: { name: 'Impostor', role: 'viewer', email: 'impostor@b.example' },
    });
    expect(synced.status).toBe(200);
    const bAdmin = await world.b.token('admin');
    const put = await world.call('PUT', '/v1/account/settings', {
      token: bAdmin,
      body: {
        manualBaselineMinutes: 42,
        allowedOrigins: ['https://portal-a.example', 'https://new-b.example'],
        policy: B_POLICY,
      },
    });
    expect(put.status).toBe(200);
    const read = await world.call('GET', '/v1/account/settings', { token: bAdmin });
    expect(await read.json()).toEqual({
      manualBaselineMinutes: 42,
      allowedOrigins: ['https://portal-a.example', 'https://new-b.example'],
      policy: B_POLICY,
      policyIsDefault: false,
    });
    expect(await findUser(world.database, world.b.id, 'only-in-a')).toMatchObject({
      name: 'Impostor',
      role: 'viewer',
    });
    expect(await stateOfA()).toEqual(before);
    expect(await getSettings(world.database, world.a.id)).toEqual({
      manualBaselineMinutes: null,
      allowedOrigins: ['https://portal-a.example'],
      policy: DEFAULT_ESCALATION_POLICY,
      policyIsDefault: true,
    });
  });

  it("should take the account from the key that verified, never from a claim or from A's kid", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      role: 'admin',
      name: 'Mallory',
      account: world.a.id,
      accountId: world.a.id,
      aid: world.a.id,
    };
    const sign = (kid: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject('admin-1')
        .setAudience('resolutionflow')
        .setIssuedAt(now)
        .setExpirationTime(now + 600);
    const bKey = await importJWK(world.b.privateJwk, 'ES256');

    const withClaim = await world.call('GET', '/v1/me', { token: await sign(world.b.kid).sign(bKey) });
    expect(withClaim.status).toBe(200);
    expect(((await withClaim.json()) as MeResponse).account.id).toBe(world.b.id);

    const withAKid = await world.call('GET', '/v1/me', { token: await sign(world.a.kid).sign(bKey) });
    expect(withAKid.status).toBe(401);
  });

  it("should refuse B's token from an origin only A allows", async () => {
    const response = await world.call('GET', '/v1/handoffs', {
      token: await world.b.token('viewer'),
      headers: { Origin: 'https://portal-a.example' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
  });
});
