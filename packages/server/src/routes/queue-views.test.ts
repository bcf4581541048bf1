import type { Handoff, HandoffPage, QueueCounts } from '@resolutionflow/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';
import { errorOf } from '../test/responses.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

const sam = { id: 'sam', name: 'Sam Rivera' };
const jordan = { id: 'jordan', name: 'Jordan Lee' };

async function create(priority = 'normal'): Promise<Handoff> {
  const token = await world.a.token('technician', { id: 'alex', name: 'Alex' });
  const response = await world.call('POST', '/v1/handoffs', { token, body: escalation({ priority }) });
  expect(response.status).toBe(201);
  return (await response.json()) as Handoff;
}

async function act(id: string, action: string, user = sam, role: 'engineer' | 'admin' = 'engineer') {
  const response = await world.call('POST', `/v1/handoffs/${id}/${action}`, {
    token: await world.a.token(role, user),
  });
  expect(response.status, `${action} ${id}`).toBe(200);
}

async function page(query: string, user = sam): Promise<HandoffPage> {
  const response = await world.call('GET', `/v1/handoffs?${query}`, {
    token: await world.a.token('engineer', user),
  });
  expect(response.status, query).toBe(200);
  return (await response.json()) as HandoffPage;
}

/** Every item of a view, following the cursor; the counts of the first page. */
async function everything(view: string, limit: number, user = sam) {
  const items: Handoff[] = [];
  let cursor: string | null = null;
  let counts: QueueCounts | undefined;
  do {
    const next: HandoffPage = await page(
      `view=${view}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      user,
    );
    counts ??= next.counts;
    items.push(...next.items);
    cursor = next.nextCursor;
  } while (cursor);
  return { items, counts };
}

async function counts(user = sam): Promise<QueueCounts> {
  const response = await world.call('GET', '/v1/handoffs/counts', {
    token: await world.a.token('viewer', user),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as QueueCounts;
}

describe('queue views', () => {
  it('should list open, mine and active, each with the counts of all three', async () => {
    const [a, b, c, d, e] = [
      await create('low'),
      await create('urgent'),
      await create(),
      await create('high'),
      await create(),
    ];
    await act(b!.id, 'claim'); // Sam holds b
    await act(c!.id, 'claim');
    await act(c!.id, 'start'); // Sam started c
    await act(d!.id, 'claim', jordan); // Jordan holds d
    await act(e!.id, 'claim');
    await act(e!.id, 'resolve'); // closed: in no view

    const open = await page('view=open');
    expect(open.items.map((h) => h.id)).toEqual([a!.id]);
    expect(open.counts).toEqual({ open: 1, mine: 2, active: 4 });

    const mine = await page('view=mine');
    expect(mine.items.map((h) => [h.id, h.status])).toEqual([
      [b!.id, 'claimed'],
      [c!.id, 'started'],
    ]);
    const jordans = await page('view=mine', jordan);
    expect(jordans.items.map((h) => h.id)).toEqual([d!.id]);
    expect(jordans.counts).toEqual({ open: 1, mine: 1, active: 4 });

    const active = await page('view=active');
    expect(active.items.map((h) => [h.id, h.claimedBy?.name ?? null])).toEqual([
      [b!.id, 'Sam Rivera'],
      [d!.id, 'Jordan Lee'],
      [c!.id, 'Sam Rivera'],
      [a!.id, null],
    ]);
    expect(await counts()).toEqual({ open: 1, mine: 2, active: 4 });
    // A plain status query carries no counts, as before.
    expect((await page('status=open')).counts).toBeUndefined();
  });

  it('should reach every item of every view through the cursor, in order, once', async () => {
    const priorities = ['low', 'normal', 'high', 'urgent'];
    const created: Handoff[] = [];
    for (let i = 0; i < 23; i++) created.push(await create(priorities[i % 4]));
    for (const handoff of created.slice(0, 9)) await act(handoff.id, 'claim');
    for (const handoff of created.slice(9, 12)) await act(handoff.id, 'claim', jordan);

    const open = await everything('open', 4);
    expect(open.items).toHaveLength(11);
    expect(open.counts?.open).toBe(11);
    const mine = await everything('mine', 2);
    expect(mine.items).toHaveLength(9);
    expect(mine.items.every((h) => h.claimedBy?.id === 'sam')).toBe(true);
    const active = await everything('active', 5);
    expect(active.items).toHaveLength(23);
    expect(new Set(active.items.map((h) => h.id)).size).toBe(23);
    // Most urgent first, then longest waiting: what the widget sorts by too.
    const ranks = active.items.map((h) => priorities.indexOf(h.priority));
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));
  });

  it('should keep counts and pages right as handoffs change (no stale cached page)', async () => {
    const first = await create();
    expect(await counts()).toEqual({ open: 1, mine: 0, active: 1 });
    expect((await page('view=open')).items).toHaveLength(1);
    await act(first.id, 'claim');
    expect(await counts()).toEqual({ open: 0, mine: 1, active: 1 });
    expect((await page('view=open')).items).toHaveLength(0);
    expect((await page('view=mine')).items.map((h) => h.id)).toEqual([first.id]);
    expect((await page('view=mine', jordan)).items).toHaveLength(0);
    await act(first.id, 'release');
    expect(await counts()).toEqual({ open: 1, mine: 0, active: 1 });
    expect((await page('view=mine')).items).toHaveLength(0);
    await act(first.id, 'claim', jordan);
    await act(first.id, 'resolve', sam, 'admin');
    expect(await counts(jordan)).toEqual({ open: 0, mine: 0, active: 0 });
    await create();
    expect(await counts()).toEqual({ open: 1, mine: 0, active: 1 });
  });

  it('should count only the caller account, and nothing as "mine" for an API key acting as nobody', async () => {
    await create();
    const other = await world.call('GET', '/v1/handoffs/counts', {
      token: await world.b.token('engineer', sam),
    });
    expect(await other.json()).toEqual({ open: 0, mine: 0, active: 0 });
    const key = await world.call('GET', '/v1/handoffs/counts', { token: world.a.apiKey });
    expect(await key.json()).toEqual({ open: 1, mine: 0, active: 1 });
    const keyOpen = await world.call('GET', '/v1/handoffs?view=open', { token: world.a.apiKey });
    expect(((await keyOpen.json()) as HandoffPage).counts).toEqual({ open: 1, mine: 0, active: 1 });
  });

  it('should refuse a mine view without a user, an unknown view, and a view with statuses', async () => {
    const key = await world.call('GET', '/v1/handoffs?view=mine', { token: world.a.apiKey });
    expect(key.status).toBe(403);
    const token = await world.a.token('engineer', sam);
    for (const query of ['view=all', 'view=open&status=open', 'view=', 'view=mine,open', 'view=MINE']) {
      const response = await world.call('GET', `/v1/handoffs?${query}`, { token });
      expect(response.status, query).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid_request');
    }
    expect((await world.call('GET', '/v1/handoffs/counts')).status).toBe(401);
  });
});
