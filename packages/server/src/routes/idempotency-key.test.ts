import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Handoff } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../clock.js';
import { pruneIdempotencyKeys } from '../domain/idempotency.js';
import { upsertUser } from '../domain/users.js';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';
import { errorOf } from '../test/responses.js';
import { queryNumber } from '../test/sql.js';

let world: TestWorld;
let token: string;
let clock: ManualClock;
// Stand-ins for the assessment runner and the mail outbox, to see what a create starts.
const start = vi.fn();
const wake = vi.fn();

beforeEach(async () => {
  start.mockClear();
  wake.mockClear();
  clock = new ManualClock(Date.now());
  world = await createWorld({ clock, extend: () => ({ assessments: { start }, notifier: { wake } }) });
  await upsertUser(
    world.database,
    world.a.id,
    { id: 'eng', name: 'Eng', role: 'engineer', email: 'eng@msp.example' },
    0,
  );
  // An API key: it does not expire while the clock moves a day on.
  token = world.a.apiKey;
});
afterEach(() => world.close());

const create = (key: string | undefined, body: unknown = escalation(), as = token) =>
  world.call('POST', '/v1/handoffs', {
    token: as,
    body,
    headers: key === undefined ? {} : { 'Idempotency-Key': key },
  });
const count = (table: string) =>
  queryNumber(world.database, sql`SELECT count(*) FROM ${sql.identifier(table)}`);

describe('POST /v1/handoffs with Idempotency-Key', () => {
  it('should answer a retry with the first result: same status, body and id, nothing created twice', async () => {
    const first = await create('retry-1');
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    clock.advance(23 * 3_600_000);
    const again = await create('retry-1');
    expect(again.status).toBe(201);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    expect([await count('handoffs'), await count('events'), await count('notification_outbox')]).toEqual([
      1, 1, 1,
    ]);
    expect(start).toHaveBeenCalledTimes(1);
    expect(wake).toHaveBeenCalledTimes(1);
  });

  it('should refuse the same key with a different body with 422 idempotency_key_reused, creating nothing', async () => {
    expect((await create('retry-2')).status).toBe(201);
    const other = await create('retry-2', escalation({ title: 'Another problem' }));
    expect(other.status).toBe(422);
    expect(await errorOf(other)).toMatchObject({
      code: 'idempotency_key_reused',
      details: { fields: [{ path: 'header.idempotency-key' }] },
    });
    expect(await count('handoffs')).toBe(1);
  });

  it('should create once for concurrent requests with one key, answering each with that handoff', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => create('at-once')));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as Handoff).id)));
    expect(ids.size).toBe(1);
    expect([await count('handoffs'), await count('events'), await count('notification_outbox')]).toEqual([
      1, 1, 1,
    ]);
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('should treat keys per account and forget them after 24 hours', async () => {
    const a = (await (await create('shared')).json()) as Handoff;
    const inB = (await (await create('shared', escalation(), world.b.apiKey)).json()) as Handoff;
    expect(inB.id).not.toBe(a.id);
    clock.advance(24 * 3_600_000);
    const later = await create('shared');
    expect(later.status).toBe(201);
    expect(((await later.json()) as Handoff).id).not.toBe(a.id);
    expect(await count('handoffs')).toBe(3);
    clock.advance(24 * 3_600_000 + 1);
    expect(await pruneIdempotencyKeys(world.database, clock.now())).toBe(2);
    expect(await count('idempotency_keys')).toBe(0);
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['with a control character', 'a\tb'],
    ['not ASCII', 'clé'],
  ])('should answer 400 naming the header for a key %s, creating nothing', async (_case, key) => {
    const response = await create(key);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      code: 'invalid_request',
      details: { fields: [{ path: 'header.idempotency-key' }] },
    });
    expect(await count('handoffs')).toBe(0);
  });

  it('should accept a 255-character key and document the header in the OpenAPI document', async () => {
    expect((await create('k'.repeat(255))).status).toBe(201);
    const doc = (await (await world.call('GET', '/v1/openapi.json')).json()) as {
      paths: Record<string, { post?: { parameters?: { name: string; in: string }[]; responses: object } }>;
    };
    const post = doc.paths['/v1/handoffs']?.post ?? doc.paths['/handoffs']?.post;
    expect(post?.parameters).toContainEqual(
      expect.objectContaining({ name: 'idempotency-key', in: 'header' }),
    );
    expect(Object.keys(post!.responses)).toContain('422');
  });
});
