import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  AccountSettings,
  ErrorResponse,
  Handoff,
  HandoffPage,
  MeResponse,
  User,
} from '@resolutionflow/types';
import { findApiKey } from '../auth/api-keys.js';
import { eventTypesOf } from '../domain/events.js';
import { findUser, upsertUser } from '../domain/users.js';
import { createWorld, escalation, seedHandoff, type TestWorld } from '../test/harness.js';

let world: TestWorld;
const start = vi.fn();
const wake = vi.fn();
beforeEach(async () => {
  start.mockClear();
  wake.mockClear();
  world = await createWorld({ extend: () => ({ assessments: { start }, notifier: { wake } }) });
});
afterEach(() => world.close());

const sam = { id: 'sam', name: 'Sam' };
const kim = { id: 'kim', name: 'Kim' };
const boss = { id: 'boss', name: 'Boss' };
const as = (role: 'viewer' | 'technician' | 'engineer' | 'admin', user: { id: string; name: string }) =>
  world.a.token(role, user);
const post = async (id: string, action: string, token: string) =>
  world.call('POST', `/v1/handoffs/${id}/${action}`, { token });
const errorOf = async (response: Response) => ((await response.json()) as ErrorResponse).error;
const json = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;
/** One transition's status, or its error code. */
const statusAfter = async (id: string, action: string, token: string) =>
  (await post(id, action, token)).status;
const codeAfter = async (id: string, action: string, token: string) =>
  (await errorOf(await post(id, action, token))).code;
const statusOf = (id: string) =>
  (world.database.sqlite.prepare('SELECT status FROM handoffs WHERE id = ?').get(id) as { status: string })
    .status;

describe('GET /v1/me', () => {
  it('should describe a token holder, their account and permissions, and record them', async () => {
    const token = await world.a.token('engineer', { id: 'u-9', name: 'Nia', email: 'nia@msp.example' });
    const me = await json<MeResponse>(world.call('GET', '/v1/me', { token }));
    expect(me).toEqual({
      auth: 'embed_token',
      user: { id: 'u-9', name: 'Nia', email: 'nia@msp.example', role: 'engineer' },
      account: { id: world.a.id, name: 'Account A' },
      permissions: {
        read: true,
        create: true,
        claim: true,
        analytics: true,
        manageUsers: false,
        manageAccount: false,
      },
    });
    expect(findUser(world.database, world.a.id, 'u-9')).toMatchObject({ name: 'Nia', role: 'engineer' });
  });

  it('should let in a person whose name a host system mis-decoded, keeping the name as sent', async () => {
    // `O’Brien` encoded as UTF-8 and read back as Latin-1: C1 controls no one can see.
    const name = 'O\u00E2\u0080\u0099Brien';
    const token = await world.a.token('viewer', { id: 'u-mojibake', name });
    const response = await world.call('GET', '/v1/me', { token });
    expect(response.status).toBe(200);
    expect((await json<MeResponse>(response)).user?.name).toBe(name);
  });

  it('should describe an API key, alone and acting as a roster user', async () => {
    const alone = await json<MeResponse>(world.call('GET', '/v1/me', { token: world.a.apiKey }));
    expect(alone).toMatchObject({ auth: 'api_key', user: null, account: { id: world.a.id } });
    expect(alone.permissions).toEqual({
      read: true,
      create: true,
      claim: false,
      analytics: true,
      manageUsers: true,
      manageAccount: false,
    });
    const rita = { id: 'rita', name: 'Rita', email: null, role: 'admin' } as const;
    upsertUser(world.database, world.a.id, rita, Date.now());
    const actingAs = (id: string) =>
      world.call('GET', '/v1/me', { token: world.a.apiKey, headers: { 'X-Acting-User': id } });
    expect((await json<MeResponse>(actingAs('rita'))).user).toEqual(rita);
    expect((await actingAs('ghost')).status).toBe(403);
    expect((await world.call('GET', '/v1/me', { token: `${world.a.apiKey}x` })).status).toBe(401);
  });
});

describe('POST /v1/handoffs and reads', () => {
  it('should create from an API key as the host integration, start the assessment and apply defaults', async () => {
    const response = await world.call('POST', '/v1/handoffs', {
      token: world.a.apiKey,
      body: { intent: 'handoff', title: 'Shift change', problemSummary: 'Over to nights.' },
    });
    expect(response.status).toBe(201);
    const handoff = (await response.json()) as Handoff;
    const keyId = findApiKey(world.database, world.a.apiKey)!.id;
    expect(handoff).toMatchObject({
      intent: 'handoff',
      priority: 'normal',
      status: 'open',
      tried: [],
      context: {},
      assessment: { status: 'pending' },
      createdBy: { id: `key:${keyId}`, name: 'Host integration' },
      claimedBy: null,
    });
    expect(start).toHaveBeenCalledWith(world.a.id, handoff);
  });

  it('should queue escalation mail for engineers and admins with an address, except the creator', async () => {
    const roster = [
      { id: 'e1', role: 'engineer', email: 'e1@msp.example' },
      { id: 'e2', role: 'engineer', email: null },
      { id: 'ad', role: 'admin', email: 'ad@msp.example' },
      { id: 'v1', role: 'viewer', email: 'v1@msp.example' },
    ] as const;
    for (const user of roster) upsertUser(world.database, world.a.id, { ...user, name: user.id }, Date.now());
    const token = await world.a.token('admin', { id: 'ad', name: 'ad', email: 'ad@msp.example' });
    await world.call('POST', '/v1/handoffs', { token, body: escalation() });
    await world.call('POST', '/v1/handoffs', { token, body: escalation({ intent: 'handoff' }) });
    const outbox = world.database.sqlite.prepare('SELECT recipient_id AS id FROM notification_outbox').all();
    expect(outbox).toEqual([{ id: 'e1' }]);
    expect(wake).toHaveBeenCalledTimes(2);
  });

  it('should read one handoff with all four sections and filter and order the queue', async () => {
    const tech = await as('technician', kim);
    const first = await json<Handoff>(
      world.call('POST', '/v1/handoffs', { token: tech, body: escalation() }),
    );
    const second = seedHandoff(world.database, world.a.id, { claimedBy: sam, now: Date.now() + 1000 });

    const read = await json<Handoff>(world.call('GET', `/v1/handoffs/${first.id}`, { token: tech }));
    expect(read).toEqual(first);
    expect(read).toMatchObject({
      problemSummary: escalation().problemSummary,
      tried: escalation().tried,
      context: escalation().context,
      assessment: { status: 'pending' },
    });

    const ids = async (query: string) =>
      (await json<HandoffPage>(world.call('GET', `/v1/handoffs?${query}`, { token: tech }))).items.map(
        (h) => h.id,
      );
    expect(await ids('status=claimed')).toEqual([second.id]);
    expect(await ids('status=open,cancelled')).toEqual([first.id]);
    expect(await ids('order=newest')).toEqual([second.id, first.id]);
  });
});

describe('handoff transitions', () => {
  it('should release by the claimer and by an admin, and refuse another engineer or an open handoff', async () => {
    const one = seedHandoff(world.database, world.a.id, { claimedBy: sam });
    const other = await post(one.id, 'release', await as('engineer', kim));
    expect(other.status).toBe(403);
    expect((await errorOf(other)).code).toBe('forbidden');
    expect(statusOf(one.id)).toBe('claimed');

    const released = await post(one.id, 'release', await as('engineer', sam));
    expect(released.status).toBe(200);
    expect(await released.json()).toMatchObject({ status: 'open', claimedBy: null, claimedAt: null });
    expect(eventTypesOf(world.database.db, world.a.id, one.id).at(-1)).toBe('handoff.released');
    expect(await codeAfter(one.id, 'release', await as('engineer', sam))).toBe('invalid_state');

    const two = seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(two.id, 'release', await as('admin', boss))).toBe(200);
    expect(statusOf(two.id)).toBe('open');
  });

  it('should start only for the claimer, and only once claimed', async () => {
    const open = seedHandoff(world.database, world.a.id);
    const onOpen = await post(open.id, 'start', await as('engineer', sam));
    expect(onOpen.status).toBe(409);
    expect(await errorOf(onOpen)).toMatchObject({ code: 'invalid_state', details: { status: 'open' } });

    const claimed = seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(claimed.id, 'start', await as('engineer', kim))).toBe(403);
    expect(await statusAfter(claimed.id, 'start', await as('admin', boss))).toBe(403);
    expect(statusOf(claimed.id)).toBe('claimed');
    const started = await post(claimed.id, 'start', await as('engineer', sam));
    expect(started.status).toBe(200);
    expect(((await started.json()) as Handoff).startedAt).not.toBeNull();
  });

  it('should resolve by the claimer or an admin, from claimed or started, and only once', async () => {
    const one = seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(one.id, 'resolve', await as('engineer', kim))).toBe(403);
    await post(one.id, 'start', await as('engineer', sam));
    const resolved = await post(one.id, 'resolve', await as('engineer', sam));
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    expect(await codeAfter(one.id, 'resolve', await as('engineer', sam))).toBe('invalid_state');

    const two = seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(two.id, 'resolve', await as('admin', boss))).toBe(200);
    const open = seedHandoff(world.database, world.a.id);
    expect(await statusAfter(open.id, 'resolve', await as('admin', boss))).toBe(409);
  });

  it('should cancel by the creator or an admin, refuse another technician and a claimed handoff', async () => {
    const mine = seedHandoff(world.database, world.a.id, { createdBy: kim });
    expect(await statusAfter(mine.id, 'cancel', await as('technician', { id: 'lee', name: 'Lee' }))).toBe(
      403,
    );
    const cancelled = await post(mine.id, 'cancel', await as('technician', kim));
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    expect(eventTypesOf(world.database.db, world.a.id, mine.id)).toEqual([
      'handoff.created',
      'handoff.cancelled',
    ]);
    expect(await codeAfter(mine.id, 'claim', await as('engineer', sam))).toBe('invalid_state');

    const theirs = seedHandoff(world.database, world.a.id, { createdBy: kim });
    expect(await statusAfter(theirs.id, 'cancel', world.a.apiKey)).toBe(403);
    expect(await statusAfter(theirs.id, 'cancel', await as('admin', boss))).toBe(200);

    const claimed = seedHandoff(world.database, world.a.id, { createdBy: kim, claimedBy: sam });
    const late = await post(claimed.id, 'cancel', await as('technician', kim));
    expect(late.status).toBe(409);
    expect(await errorOf(late)).toMatchObject({ code: 'invalid_state', details: { status: 'claimed' } });
  });

  it('should answer a second claim with 409 naming the engineer who holds it', async () => {
    const one = seedHandoff(world.database, world.a.id, { claimedBy: sam });
    const second = await post(one.id, 'claim', await as('engineer', kim));
    expect(second.status).toBe(409);
    expect(await errorOf(second)).toMatchObject({ code: 'already_claimed', details: { claimedBy: sam } });
  });
});

describe('PUT /v1/users/:id', () => {
  it('should sync the roster from an API key and an admin, and refuse an engineer', async () => {
    const byKey = await world.call('PUT', '/v1/users/u-7', {
      token: world.a.apiKey,
      body: { name: 'Ola', email: 'ola@msp.example', role: 'engineer' },
    });
    expect(byKey.status).toBe(200);
    expect(await byKey.json()).toMatchObject({
      id: 'u-7',
      name: 'Ola',
      email: 'ola@msp.example',
      role: 'engineer',
    });

    const byAdmin = await world.call('PUT', '/v1/users/u-7', {
      token: await as('admin', boss),
      body: { name: 'Ola N.', role: 'viewer' },
    });
    expect(byAdmin.status).toBe(200);
    expect((await byAdmin.json()) as User).toMatchObject({ name: 'Ola N.', email: null, role: 'viewer' });
    const acting = world.call('GET', '/v1/me', {
      token: world.a.apiKey,
      headers: { 'X-Acting-User': 'u-7' },
    });
    expect((await json<MeResponse>(acting)).permissions.claim).toBe(false);

    const byEngineer = await world.call('PUT', '/v1/users/u-8', {
      token: await as('engineer', sam),
      body: { name: 'Nobody', role: 'admin' },
    });
    expect(byEngineer.status).toBe(403);
    expect(findUser(world.database, world.a.id, 'u-8')).toBeNull();
  });
});

describe('/v1/account/settings', () => {
  it('should read and change the baseline and origins, with origins taking effect at once', async () => {
    const admin = await as('admin', boss);
    const settings = () => json<AccountSettings>(world.call('GET', '/v1/account/settings', { token: admin }));
    expect(await settings()).toEqual({
      manualBaselineMinutes: null,
      allowedOrigins: ['https://portal-a.example'],
    });

    const put = (body: unknown) => world.call('PUT', '/v1/account/settings', { token: admin, body });
    expect(await (await put({ manualBaselineMinutes: 18.5 })).json()).toEqual({
      manualBaselineMinutes: 18.5,
      allowedOrigins: ['https://portal-a.example'],
    });
    await put({ manualBaselineMinutes: null });
    expect((await settings()).manualBaselineMinutes).toBeNull();

    await put({ allowedOrigins: ['https://new.example', 'https://new.example', 'http://localhost:5173'] });
    expect(await settings()).toEqual({
      manualBaselineMinutes: null,
      allowedOrigins: ['https://new.example', 'http://localhost:5173'],
    });
    const from = (origin: string) =>
      world.call('GET', '/v1/me', { token: admin, headers: { Origin: origin } });
    expect((await from('https://new.example')).status).toBe(200);
    expect((await from('https://portal-a.example')).status).toBe(403);
  });
});

describe('public routes', () => {
  it('should answer /healthz and /readyz, and /readyz 503 when the database is gone', async () => {
    expect(await (await world.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await world.call('GET', '/readyz')).json()).toEqual({ status: 'ok' });
    world.database.close();
    const down = await world.call('GET', '/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable' });
    expect((await world.call('GET', '/healthz')).status).toBe(200);
  });

  it('should publish an OpenAPI 3.1 document listing every route, and an HTML reference', async () => {
    const response = await world.call('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(response);
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(listed).toEqual(
      expect.arrayContaining(
        ['get /me', 'post /handoffs', 'get /handoffs', 'get /handoffs/{id}', 'put /users/{id}']
          .concat(['claim', 'release', 'start', 'resolve', 'cancel'].map((a) => `post /handoffs/{id}/${a}`))
          .concat(['get /account/settings', 'put /account/settings']),
      ),
    );
    const docs = await world.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(await docs.text()).toContain('/v1/openapi.json');
  });

  it('should answer unknown routes with a 404 JSON error', async () => {
    const token = await as('admin', boss);
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/v1/nope'],
      ['DELETE', `/v1/handoffs/${crypto.randomUUID()}`],
    ] as const) {
      const response = await world.call(method, path, { token });
      expect(response.status, path).toBe(404);
      expect(await errorOf(response)).toEqual({ code: 'not_found', message: 'No such route' });
    }
  });
});
