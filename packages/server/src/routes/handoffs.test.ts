import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Handoff, HandoffPage } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { findApiKey } from '../auth/api-keys.js';
import { getHandoff } from '../domain/handoffs.js';
import { upsertUser } from '../domain/users.js';
import { eventTypesOf } from '../test/event-log.js';
import { createWorld, escalation, seedHandoff, type TestWorld } from '../test/harness.js';
import { errorOf, json } from '../test/responses.js';
import { queryRows } from '../test/sql.js';

let world: TestWorld;
afterEach(() => world.close());

const sam = { id: 'sam', name: 'Sam' };
const kim = { id: 'kim', name: 'Kim' };
const boss = { id: 'boss', name: 'Boss' };
const as = (role: 'viewer' | 'technician' | 'engineer' | 'admin', user: { id: string; name: string }) =>
  world.a.token(role, user);
const post = async (id: string, action: string, token: string) =>
  world.call('POST', `/v1/handoffs/${id}/${action}`, { token });
/** One transition's status, or its error code. */
const statusAfter = async (id: string, action: string, token: string) =>
  (await post(id, action, token)).status;
const codeAfter = async (id: string, action: string, token: string) =>
  (await errorOf(await post(id, action, token))).code;
const statusOf = async (id: string) => (await getHandoff(world.database, world.a.id, id)).status;

describe('handoff lifecycle', () => {
  beforeEach(async () => {
    world = await createWorld();
  });
  it('should create, claim, start and resolve with one event per change', async () => {
    const tech = await world.a.token('technician', { id: 'alex', name: 'Alex' });
    const eng = await world.a.token('engineer', { id: 'sam', name: 'Sam' });
    const created = await world.call('POST', '/v1/handoffs', { token: tech, body: escalation() });
    expect(created.status).toBe(201);
    const handoff = (await created.json()) as Handoff;
    expect(handoff).toMatchObject({
      status: 'open',
      intent: 'escalate',
      createdBy: { id: 'alex', name: 'Alex' },
    });
    expect(handoff.assessment.status).toBe('disabled');

    const claimed = await world.call('POST', `/v1/handoffs/${handoff.id}/claim`, { token: eng });
    expect(claimed.status).toBe(200);
    expect(((await claimed.json()) as Handoff).claimedBy).toEqual({ id: 'sam', name: 'Sam' });

    const started = await world.call('POST', `/v1/handoffs/${handoff.id}/start`, { token: eng });
    expect(started.status).toBe(200);
    const again = await world.call('POST', `/v1/handoffs/${handoff.id}/start`, { token: eng });
    expect(again.status).toBe(200);
    const startedBody = (await started.json()) as Handoff;
    expect(((await again.json()) as Handoff).startedAt).toBe(startedBody.startedAt);

    const resolved = await world.call('POST', `/v1/handoffs/${handoff.id}/resolve`, { token: eng });
    expect(((await resolved.json()) as Handoff).status).toBe('resolved');
    expect(await eventTypesOf(world.database, world.a.id, handoff.id)).toEqual([
      'handoff.created',
      'handoff.claimed',
      'handoff.started',
      'handoff.resolved',
    ]);
  });

  it('should page through the queue by priority then age without repeats', async () => {
    const tech = await world.a.token('technician');
    const priorities = ['low', 'urgent', 'normal', 'high', 'urgent', 'normal', 'low'];
    for (const priority of priorities) {
      await world.call('POST', '/v1/handoffs', { token: tech, body: escalation({ priority }) });
    }
    const seen: Handoff[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (
        await world.call('GET', `/v1/handoffs?limit=3${query}`, { token: tech })
      ).json()) as HandoffPage;
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((h) => h.priority)).toEqual([
      'urgent',
      'urgent',
      'high',
      'normal',
      'normal',
      'low',
      'low',
    ]);
    expect(new Set(seen.map((h) => h.id)).size).toBe(7);
  });
});

describe('POST /v1/handoffs and reads', () => {
  // Stand-ins for the assessment runner and the mail outbox, to see what a create starts.
  const start = vi.fn();
  const wake = vi.fn();
  beforeEach(async () => {
    start.mockClear();
    wake.mockClear();
    world = await createWorld({ extend: () => ({ assessments: { start }, notifier: { wake } }) });
  });
  it('should create from an API key as the host integration, start the assessment and apply defaults', async () => {
    const response = await world.call('POST', '/v1/handoffs', {
      token: world.a.apiKey,
      body: { intent: 'handoff', title: 'Shift change', problemSummary: 'Over to nights.' },
    });
    expect(response.status).toBe(201);
    const handoff = (await response.json()) as Handoff;
    const keyId = (await findApiKey(world.database, world.a.apiKey))!.id;
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
    for (const user of roster)
      await upsertUser(world.database, world.a.id, { ...user, name: user.id }, Date.now());
    const token = await world.a.token('admin', { id: 'ad', name: 'ad', email: 'ad@msp.example' });
    await world.call('POST', '/v1/handoffs', { token, body: escalation() });
    await world.call('POST', '/v1/handoffs', { token, body: escalation({ intent: 'handoff' }) });
    const outbox = await queryRows(world.database, sql`SELECT recipient_id AS id FROM notification_outbox`);
    expect(outbox).toEqual([{ id: 'e1' }]);
    expect(wake).toHaveBeenCalledTimes(2);
  });

  it('should read one handoff with all four sections and filter and order the queue', async () => {
    const tech = await as('technician', kim);
    const first = await json<Handoff>(
      world.call('POST', '/v1/handoffs', { token: tech, body: escalation() }),
    );
    const second = await seedHandoff(world.database, world.a.id, { claimedBy: sam, now: Date.now() + 1000 });

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
  beforeEach(async () => {
    world = await createWorld();
  });
  it('should release by the claimer and by an admin, and refuse another engineer or an open handoff', async () => {
    const one = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    const other = await post(one.id, 'release', await as('engineer', kim));
    expect(other.status).toBe(403);
    expect((await errorOf(other)).code).toBe('forbidden');
    expect(await statusOf(one.id)).toBe('claimed');

    const released = await post(one.id, 'release', await as('engineer', sam));
    expect(released.status).toBe(200);
    expect(await released.json()).toMatchObject({ status: 'open', claimedBy: null, claimedAt: null });
    expect((await eventTypesOf(world.database, world.a.id, one.id)).at(-1)).toBe('handoff.released');
    expect(await codeAfter(one.id, 'release', await as('engineer', sam))).toBe('invalid_state');

    const two = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(two.id, 'release', await as('admin', boss))).toBe(200);
    expect(await statusOf(two.id)).toBe('open');
  });

  it('should start only for the claimer, and only once claimed', async () => {
    const open = await seedHandoff(world.database, world.a.id);
    const onOpen = await post(open.id, 'start', await as('engineer', sam));
    expect(onOpen.status).toBe(409);
    expect(await errorOf(onOpen)).toMatchObject({ code: 'invalid_state', details: { status: 'open' } });

    const claimed = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(claimed.id, 'start', await as('engineer', kim))).toBe(403);
    expect(await statusAfter(claimed.id, 'start', await as('admin', boss))).toBe(403);
    expect(await statusOf(claimed.id)).toBe('claimed');
    const started = await post(claimed.id, 'start', await as('engineer', sam));
    expect(started.status).toBe(200);
    expect(((await started.json()) as Handoff).startedAt).not.toBeNull();
  });

  it('should resolve by the claimer or an admin, from claimed or started, and only once', async () => {
    const one = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(one.id, 'resolve', await as('engineer', kim))).toBe(403);
    await post(one.id, 'start', await as('engineer', sam));
    const resolved = await post(one.id, 'resolve', await as('engineer', sam));
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    expect(await codeAfter(one.id, 'resolve', await as('engineer', sam))).toBe('invalid_state');

    const two = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    expect(await statusAfter(two.id, 'resolve', await as('admin', boss))).toBe(200);
    const open = await seedHandoff(world.database, world.a.id);
    expect(await statusAfter(open.id, 'resolve', await as('admin', boss))).toBe(409);
  });

  it('should cancel by the creator or an admin, refuse another technician and a claimed handoff', async () => {
    const mine = await seedHandoff(world.database, world.a.id, { createdBy: kim });
    expect(await statusAfter(mine.id, 'cancel', await as('technician', { id: 'lee', name: 'Lee' }))).toBe(
      403,
    );
    const cancelled = await post(mine.id, 'cancel', await as('technician', kim));
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    expect(await eventTypesOf(world.database, world.a.id, mine.id)).toEqual([
      'handoff.created',
      'handoff.cancelled',
    ]);
    expect(await codeAfter(mine.id, 'claim', await as('engineer', sam))).toBe('invalid_state');

    const theirs = await seedHandoff(world.database, world.a.id, { createdBy: kim });
    expect(await statusAfter(theirs.id, 'cancel', world.a.apiKey)).toBe(403);
    expect(await statusAfter(theirs.id, 'cancel', await as('admin', boss))).toBe(200);

    const claimed = await seedHandoff(world.database, world.a.id, { createdBy: kim, claimedBy: sam });
    const late = await post(claimed.id, 'cancel', await as('technician', kim));
    expect(late.status).toBe(409);
    expect(await errorOf(late)).toMatchObject({ code: 'invalid_state', details: { status: 'claimed' } });
  });

  it('should answer a second claim with 409 naming the engineer who holds it', async () => {
    const one = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    const second = await post(one.id, 'claim', await as('engineer', kim));
    expect(second.status).toBe(409);
    expect(await errorOf(second)).toMatchObject({ code: 'already_claimed', details: { claimedBy: sam } });
  });
});
