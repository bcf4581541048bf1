import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationAnalytics, Handoff, HandoffPage } from '@resolutionflow/types';
import { encodeCursor } from '../domain/cursor.js';
import { createWorld, listen, type TestWorld } from '../test/harness.js';
import { Ownership, type Leak } from '../test/ownership.js';
import { Prng } from '../test/prng.js';
import { sized } from '../test/soak.js';
import { SseClient } from '../test/sse-client.js';
import { createTenants, type Tenant } from '../test/tenants.js';

/** Generous against the ~10–30 s a bounded run takes here; a soak run takes minutes. */
const TIMEOUT_MS = sized(120_000, 900_000);

const TENANTS = 5;
const OPERATIONS = sized(2_000, 10_000);
const MAX_OPEN_STREAMS = 6;
const ACTIONS = ['claim', 'release', 'start', 'resolve', 'cancel'] as const;
const STATUSES = ['open', 'claimed', 'started', 'resolved', 'cancelled'];

interface OpenStream {
  tenant: Tenant;
  client: SseClient;
  after: number;
}

const prng = Prng.fromEnv();
const counts: Record<string, number> = {};
const statuses: Record<string, number> = {};
const leaks: Leak[] = [];
const streams: OpenStream[] = [];
let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>>;
let ownership: Ownership;
let tenants: Tenant[];
let requests = 0;
let foreignRefused = 0;
let framesChecked = 0;
let streamsChecked = 0;

beforeAll(async () => {
  world = await createWorld({ env: { STREAM_MAX_PER_USER: '1000' } });
  server = await listen(world.app);
  ownership = new Ownership(world.database);
  tenants = await createTenants(world, TENANTS, ownership);
  for (const tenant of tenants) {
    const put = { allowedOrigins: [`https://${tenant.marker}.example`] };
    expect((await call(tenant, tenant.tokens.admin, 'PUT', '/v1/account/settings', put)).status).toBe(200);
    for (const token of Object.values(tenant.tokens)) await call(tenant, token, 'GET', '/v1/me');
  }
});
afterAll(async () => {
  for (const stream of streams.splice(0)) stream.client.close();
  await server?.close();
  await world?.close();
});

/** One request as `tenant`; every byte of the answer is scanned for other tenants' identifiers. */
async function call(
  tenant: Tenant,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  echoed?: string,
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...headers,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  requests += 1;
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  expect(response.status, `${method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
  // A refusal may quote what the caller itself sent (`echoed`); anything else of another tenant is a leak.
  leaks.push(
    ...ownership.scan(echoed ? text.replaceAll(echoed, '') : text, tenant.index, `${method} ${path}`),
  );
  return { status: response.status, text };
}

const anyTenant = () => prng.pick(tenants);
/** A handoff of any tenant (the fuzzer aims at everyone's ids), or undefined before the first create. */
function anyHandoff(): Handoff | undefined {
  const owners = tenants.filter((tenant) => tenant.handoffs.length > 0);
  return owners.length > 0 ? prng.pick(prng.pick(owners).handoffs) : undefined;
}
const ownerOf = (handoff: Handoff) =>
  tenants.find((tenant) => tenant.handoffs.some((h) => h.id === handoff.id))!;
const maxOwnSeq = (tenant: Tenant) =>
  (world.database.sqlite
    .prepare('SELECT max(seq) FROM events WHERE account_id = ?')
    .pluck()
    .get(tenant.account.id) as number | null) ?? 0;
const ownSeqsAfter = (tenant: Tenant, after: number) =>
  world.database.sqlite
    .prepare('SELECT seq FROM events WHERE account_id = ? AND seq > ? ORDER BY seq')
    .pluck()
    .all(tenant.account.id, after) as number[];

const OPERATIONS_BY_NAME = {
  async create() {
    const tenant = anyTenant();
    const as = prng.pick(['technician', 'engineer1', 'admin', 'apiKey'] as const);
    const token = as === 'apiKey' ? tenant.account.apiKey : tenant.tokens[as];
    const intent = prng.chance(0.8) ? 'escalate' : 'handoff';
    const body = {
      intent,
      priority: prng.pick(['low', 'normal', 'high', 'urgent']),
      title: `${tenant.marker} printer ${tenant.handoffs.length}`,
      problemSummary: `Spooler stuck for ${tenant.marker}.`,
      context: { client: `${tenant.marker} client`, fields: { owner: tenant.marker } },
    };
    const { status, text } = await call(tenant, token, 'POST', '/v1/handoffs', body);
    expect(status).toBe(201);
    const handoff = JSON.parse(text) as Handoff;
    ownership.own(handoff.id, tenant.index);
    tenant.handoffs.push(handoff);
    if (intent === 'escalate') tenant.escalations += 1;
  },
  async list() {
    const tenant = anyTenant();
    const params = new URLSearchParams({
      limit: String(1 + prng.int(20)),
      order: prng.pick(['priority', 'newest']),
    });
    if (prng.chance(0.4)) params.set('status', STATUSES.filter(() => prng.chance(0.5)).join(',') || 'open');
    const foreign = prng.pick(tenants.filter((other) => other !== tenant));
    const cursorFrom = prng.weighted({ none: 4, own: 3, foreignPage: 2, foreignRow: 2 });
    if (cursorFrom === 'own' && tenant.cursors.length > 0) params.set('cursor', prng.pick(tenant.cursors));
    if (cursorFrom === 'foreignPage' && foreign.cursors.length > 0)
      params.set('cursor', prng.pick(foreign.cursors));
    if (cursorFrom === 'foreignRow' && foreign.handoffs.length > 0) {
      const row = prng.pick(foreign.handoffs);
      params.set('cursor', encodeCursor({ r: prng.int(4), t: Date.parse(row.createdAt), i: row.id }));
    }
    for (let page = 0; page < 3; page++) {
      const token = tenant.tokens[prng.pick(['viewer', 'engineer2', 'admin'] as const)];
      const { status, text } = await call(tenant, token, 'GET', `/v1/handoffs?${params}`);
      expect(status).toBe(200);
      const { nextCursor } = JSON.parse(text) as HandoffPage;
      if (!nextCursor) break;
      tenant.cursors.push(nextCursor);
      params.set('cursor', nextCursor);
    }
  },
  async get() {
    const tenant = anyTenant();
    const handoff = anyHandoff();
    if (!handoff) return;
    const get = (id: string) => call(tenant, tenant.tokens.viewer, 'GET', `/v1/handoffs/${id}`);
    await expectForeign(tenant, handoff, await get(handoff.id), get, [200]);
  },
  async transition() {
    const tenant = anyTenant();
    const handoff = anyHandoff();
    if (!handoff) return;
    const as = prng.pick(['technician', 'engineer1', 'engineer2', 'admin', 'apiKey'] as const);
    const token = as === 'apiKey' ? tenant.account.apiKey : tenant.tokens[as];
    const action = prng.pick(ACTIONS);
    const post = (id: string) => call(tenant, token, 'POST', `/v1/handoffs/${id}/${action}`);
    await expectForeign(tenant, handoff, await post(handoff.id), post, [200, 403, 409]);
  },
  async roster() {
    const tenant = anyTenant();
    const id = prng.chance(0.5) ? `shared-${prng.int(4)}` : `${tenant.marker}-synced-${prng.int(20)}`;
    const body = {
      name: `${tenant.marker} ${id}`,
      email: `${id}@${tenant.marker}.example`,
      role: prng.pick(['viewer', 'engineer', 'admin']),
    };
    const token = prng.chance(0.5) ? tenant.account.apiKey : tenant.tokens.admin;
    expect((await call(tenant, token, 'PUT', `/v1/users/${id}`, body)).status).toBe(200);
  },
  async actAsForeignUser() {
    const tenant = anyTenant();
    const foreign = prng.pick(tenants.filter((other) => other !== tenant));
    const actAs = (id: string) =>
      call(tenant, tenant.account.apiKey, 'GET', '/v1/me', undefined, { 'X-Acting-User': id }, id);
    const foreignUser = `${foreign.marker}-engineer-1`;
    const answer = await actAs(foreignUser);
    expect(answer.status).toBe(403);
    // Exactly what a user who exists nowhere gets: no existence oracle across tenants.
    const nobody = `nobody-${prng.int(1e9)}`;
    expect(answer.text.replace(foreignUser, '?')).toBe((await actAs(nobody)).text.replace(nobody, '?'));
    foreignRefused += 1;
  },
  async settings() {
    const tenant = anyTenant();
    if (prng.chance(0.3)) {
      const body = { manualBaselineMinutes: 5 + prng.int(30) };
      expect((await call(tenant, tenant.tokens.admin, 'PUT', '/v1/account/settings', body)).status).toBe(200);
    }
    expect((await call(tenant, tenant.tokens.admin, 'GET', '/v1/account/settings')).status).toBe(200);
  },
  async analytics() {
    const tenant = anyTenant();
    const { status, text } = await call(
      tenant,
      tenant.tokens.engineer2,
      'GET',
      '/v1/analytics/escalations?period=7d',
    );
    expect(status).toBe(200);
    // Countable only by its own account: the figures are exactly this tenant's escalations.
    expect((JSON.parse(text) as EscalationAnalytics).created).toBe(tenant.escalations);
  },
  async me() {
    const tenant = anyTenant();
    await call(tenant, tenant.tokens[prng.pick(['viewer', 'technician', 'admin'] as const)], 'GET', '/v1/me');
  },
  async openStream() {
    if (streams.length >= MAX_OPEN_STREAMS) await checkStream(streams.shift()!);
    const tenant = anyTenant();
    const foreign = prng.pick(tenants.filter((other) => other !== tenant));
    const foreignSeqs = ownSeqsAfter(foreign, 0);
    const from = prng.weighted({ foreign: 5, zero: 1, own: 1, none: 1 });
    const ownSeqs = ownSeqsAfter(tenant, 0);
    const lastEventId =
      from === 'foreign' && foreignSeqs.length > 0
        ? prng.pick(foreignSeqs)
        : from === 'own' && ownSeqs.length > 0
          ? prng.pick(ownSeqs)
          : from === 'none'
            ? null
            : 0;
    const headers: Record<string, string> = { Authorization: `Bearer ${tenant.tokens.viewer}` };
    if (lastEventId !== null) headers['Last-Event-ID'] = String(lastEventId);
    const client = await SseClient.connect(`${server.url}/v1/stream`, headers);
    expect(client.status).toBe(200);
    streams.push({ tenant, client, after: lastEventId ?? maxOwnSeq(tenant) });
  },
  async closeStream() {
    if (streams.length > 0) await checkStream(streams.splice(prng.int(streams.length), 1)[0]!);
  },
};
type OperationName = keyof typeof OPERATIONS_BY_NAME;
const WEIGHTS: Record<OperationName, number> = {
  create: 20,
  list: 14,
  get: 14,
  transition: 25,
  roster: 5,
  actAsForeignUser: 2,
  settings: 4,
  analytics: 4,
  me: 3,
  openStream: 5,
  closeStream: 4,
};

/**
 * Another tenant's id must answer exactly as an id that never existed (a 404,
 * or the same role refusal): no existence oracle. The tenant's own gets one of `allowed`.
 */
async function expectForeign(
  tenant: Tenant,
  handoff: Handoff,
  answer: { status: number; text: string },
  probe: (id: string) => Promise<{ status: number; text: string }>,
  allowed: number[],
) {
  if (ownerOf(handoff) === tenant) {
    expect(allowed).toContain(answer.status);
    return;
  }
  expect([403, 404]).toContain(answer.status);
  expect(answer).toEqual(await probe(crypto.randomUUID()));
  foreignRefused += 1;
}

/**
 * Waits until the stream holds every event of its tenant after its starting
 * point, then closes it and checks each frame: own ids only, in order, once.
 */
async function checkStream({ tenant, client, after }: OpenStream) {
  const expected = ownSeqsAfter(tenant, after);
  await client.until((c) => c.ids.length >= expected.length, 10_000);
  client.close();
  expect(client.ids).toEqual(expected);
  for (const frame of client.frames) {
    const seq = Number(frame.id);
    if (frame.id !== undefined)
      expect(ownership.ownerOfSeq(seq), `event ${seq} on tenant ${tenant.index}'s stream`).toBe(tenant.index);
    leaks.push(...ownership.scan(JSON.stringify(frame), tenant.index, `stream frame ${frame.id}`));
  }
  framesChecked += client.frames.length;
  streamsChecked += 1;
}

describe(`cross-tenant fuzz (${TENANTS} tenants, ${OPERATIONS} operations, seed ${prng.seed})`, () => {
  it(
    'should never show one tenant any identifier of another',
    async () => {
      console.log(`cross-tenant fuzz: seed ${prng.seed} (replay with SEED=${prng.seed})`);
      for (let n = 0; n < OPERATIONS; n++) {
        const name = prng.weighted(WEIGHTS);
        counts[name] = (counts[name] ?? 0) + 1;
        await OPERATIONS_BY_NAME[name]();
      }
      for (const stream of streams.splice(0)) await checkStream(stream);

      const crossed = world.database.sqlite
        .prepare(
          'SELECT count(*) FROM events e JOIN handoffs h ON h.id = e.handoff_id WHERE e.account_id != h.account_id',
        )
        .pluck()
        .get();
      console.log(
        `cross-tenant fuzz: ${OPERATIONS} operations (${Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}), ` +
          `${requests} requests (${Object.entries(statuses)
            .map(([k, v]) => `${k}×${v}`)
            .join(', ')}), ` +
          `${foreignRefused} aimed at another tenant's ids or users → all refused, ${streamsChecked} streams / ${framesChecked} frames checked, ` +
          `${leaks.length} leaks`,
      );
      expect(crossed).toBe(0);
      expect(leaks.slice(0, 10)).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
