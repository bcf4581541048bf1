import { afterAll, describe, expect, it } from 'vitest';
import type { Handoff, UserRef } from '@resolutionflow/types';
import { findApiKey } from '../auth/api-keys.js';
import { fingerprint } from '../test/db-fingerprint.js';
import { FORGED_KINDS, forgedVariants, type ForgedKind } from '../test/forged-tokens.js';
import { createWorld, listen, seedHandoff } from '../test/harness.js';
import { queueTestPing } from '../webhooks/deliveries.js';
import { createWebhook } from '../webhooks/endpoints.js';

/**
 * The authorization matrix, generated from the OpenAPI document the server
 * publishes: every documented (method, path) must have a row here, so a new
 * route cannot ship without saying who may call it. Each forged column sends
 * every variant of its attack (see forged-tokens.ts); all claim `admin`.
 */
const CREDENTIALS = [
  'no token',
  ...FORGED_KINDS,
  "another account's key",
  'viewer',
  'technician',
  'engineer',
  'admin',
  'API key',
] as const;
type Credential = (typeof CREDENTIALS)[number];

/**
 * Expected status per route and credential (CREDENTIALS order). "another
 * account's key" is a valid admin token of account B aimed at A's ids: 404 for
 * A's handoffs, 200 for B's own lists, settings and roster.
 */
// prettier-ignore
const EXPECTED: Record<string, readonly number[]> = {
  //                                   none exp  nbf  aud  algN hs256 kid  B    view tech eng  admin key
  'GET /v1/me':                        [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200],
  'POST /v1/handoffs':                 [401, 401, 401, 401, 401, 401, 401, 201, 403, 201, 201, 201, 201],
  'GET /v1/handoffs':                  [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200],
  'GET /v1/handoffs/counts':           [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200],
  'GET /v1/handoffs/{id}':             [401, 401, 401, 401, 401, 401, 401, 404, 200, 200, 200, 200, 200],
  'POST /v1/handoffs/{id}/claim':      [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403],
  'POST /v1/handoffs/{id}/release':    [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403],
  'POST /v1/handoffs/{id}/start':      [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403],
  'POST /v1/handoffs/{id}/resolve':    [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403],
  'POST /v1/handoffs/{id}/cancel':     [401, 401, 401, 401, 401, 401, 401, 404, 403, 200, 200, 200, 200],
  'PUT /v1/users/{id}':                [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 403, 200, 200],
  'GET /v1/account/settings':          [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 403, 200, 403],
  'PUT /v1/account/settings':          [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 403, 200, 403],
  'GET /v1/stream':                    [401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200],
  'GET /v1/analytics/escalations':     [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 200, 200, 200],
  'POST /v1/webhooks':                 [401, 401, 401, 401, 401, 401, 401, 201, 403, 403, 403, 201, 201],
  'GET /v1/webhooks':                  [401, 401, 401, 401, 401, 401, 401, 200, 403, 403, 403, 200, 200],
  'GET /v1/webhooks/{id}':             [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 403, 200, 200],
  'PATCH /v1/webhooks/{id}':           [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 403, 200, 200],
  'DELETE /v1/webhooks/{id}':          [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 403, 204, 204],
  'POST /v1/webhooks/{id}/rotate-secret': [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 403, 200, 200],
  'POST /v1/webhooks/{id}/test':       [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 403, 202, 202],
  'GET /v1/webhooks/{id}/deliveries':  [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 403, 200, 200],
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver':
                                       [401, 401, 401, 401, 401, 401, 401, 404, 403, 403, 403, 202, 202],
};

/** Request bodies of the routes that take one. */
const BODIES: Record<string, (n: number) => unknown> = {
  'POST /v1/handoffs': (n) => ({ title: `Matrix ${n}`, problemSummary: 'Printer offline.' }),
  'PUT /v1/users/{id}': (n) => ({ name: `Synced ${n}`, role: 'engineer' }),
  'PUT /v1/account/settings': (n) => ({ manualBaselineMinutes: 20 + (n % 10) }),
  'POST /v1/webhooks': (n) => ({ url: `https://hooks.example.com/matrix-${n}` }),
  'PATCH /v1/webhooks/{id}': (n) => ({ description: `Matrix ${n}` }),
};

/** The state a transition acts on, so a refusal can only be about who asks. */
const SEEDED_STATE: Record<string, 'open' | 'claimed'> = {
  claim: 'open',
  release: 'claimed',
  start: 'claimed',
  resolve: 'claimed',
  cancel: 'open',
};

const world = await createWorld();
// Nothing is sent: a delivery attempt in the background would change the database between a
// refused request's before and after.
await world.services.webhooks.stop();
const server = await listen(world.app);
afterAll(async () => {
  await server.close();
  await world.close();
});

const doc = (await (await world.call('GET', '/v1/openapi.json')).json()) as {
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
};
const base = doc.servers[0]!.url;
const DOCUMENTED = Object.entries(doc.paths).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => `${method.toUpperCase()} ${base}${path}`),
);

/** What each credential sends, and who it acts as when it is accepted. */
interface Sender {
  credential: Credential;
  variant: string;
  token?: string;
  actor: UserRef;
}
const forger = { id: 'admin-1', name: 'Mallory' };
const apiKeyId = (await findApiKey(world.database, world.a.apiKey))!.id;
const variants = await forgedVariants(world.a);
const SENDERS: Sender[] = [
  { credential: 'no token', variant: 'no Authorization header', actor: forger },
  ...FORGED_KINDS.flatMap((kind: ForgedKind) =>
    variants[kind].map(({ name, token }) => ({ credential: kind, variant: name, token, actor: forger })),
  ),
  {
    credential: "another account's key",
    variant: "B's admin",
    token: await world.b.token('admin'),
    actor: { id: 'admin-1', name: 'Admin One' },
  },
  ...(await Promise.all(
    (['viewer', 'technician', 'engineer', 'admin'] as const).map(async (role) => ({
      credential: role,
      variant: role,
      token: await world.a.token(role),
      actor: { id: `${role}-1`, name: `${role[0]!.toUpperCase()}${role.slice(1)} One` },
    })),
  )),
  {
    credential: 'API key',
    variant: 'API key',
    token: world.a.apiKey,
    actor: { id: `key:${apiKeyId}`, name: 'Host integration' },
  },
];
// Users are recorded on first sight: see every valid one once, so a refusal must change nothing at all.
for (const { token } of SENDERS.slice(-6)) await world.call('GET', '/v1/me', { token: token! });

/** Fills the path's parameters with a fresh target the sender could act on, and returns the URL. */
async function target(
  route: string,
  sender: Sender,
  n: number,
): Promise<{ path: string; handoff?: Handoff }> {
  const [, template] = route.split(' ') as [string, string];
  const handoffMatch = /^\/v1\/handoffs\/\{id\}(?:\/(\w+))?$/.exec(template);
  if (handoffMatch) {
    const state = handoffMatch[1] ? SEEDED_STATE[handoffMatch[1]] : 'open';
    if (!state) throw new Error(`no seeded state for ${route}: add it to SEEDED_STATE`);
    const handoff = await seedHandoff(world.database, world.a.id, {
      createdBy: sender.actor,
      ...(state === 'claimed' ? { claimedBy: sender.actor } : {}),
    });
    return { path: template.replace('{id}', handoff.id), handoff };
  }
  if (template === '/v1/users/{id}') return { path: `/v1/users/matrix-user-${n}` };
  if (template.startsWith('/v1/webhooks/{id}')) {
    // A fresh endpoint of account A (and a delivery of it), so a refusal is only about who asks.
    const hook = await createWebhook(
      world.database,
      world.a.id,
      { url: `https://hooks.example.com/target-${n}`, kind: 'standard' },
      Date.now(),
    );
    const delivery = await queueTestPing(world.database, world.a.id, hook.id, Date.now());
    return { path: template.replace('{id}', hook.id).replace('{deliveryId}', delivery.id) };
  }
  if (template.includes('{')) throw new Error(`no rule for the parameters of ${route}: add one to target()`);
  return { path: template };
}

/** Sends one request over real HTTP; a 200 stream is read only as far as its head. */
async function send(route: string, sender: Sender, n: number) {
  const { path, handoff } = await target(route, sender, n);
  const method = route.split(' ')[0]!;
  const body = BODIES[route]?.(n);
  const headers: Record<string, string> = {};
  if (sender.token) headers.Authorization = `Bearer ${sender.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const aborter = new AbortController();
  const before = await fingerprint(world.database);
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    signal: aborter.signal,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const streaming = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  const text = streaming ? '' : await response.text();
  aborter.abort();
  return { status: response.status, text, before, handoff };
}

const results: {
  route: string;
  credential: Credential;
  variant: string;
  expected: number;
  status: number;
}[] = [];

describe(`authorization matrix generated from ${base}/openapi.json`, () => {
  it('should have an expected-status row for every documented route, and no stale rows', () => {
    const missing = DOCUMENTED.filter((route) => !(route in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((route) => !DOCUMENTED.includes(route));
    expect(missing, 'documented routes without a row in EXPECTED: add one').toEqual([]);
    expect(stale, 'rows in EXPECTED for routes the document no longer has').toEqual([]);
    for (const row of Object.values(EXPECTED)) expect(row).toHaveLength(CREDENTIALS.length);
  });

  it.each(DOCUMENTED)('should answer %s as the matrix says for every credential', async (route) => {
    const row = EXPECTED[route];
    expect(row, `no row for ${route}`).toBeDefined();
    const wrong: string[] = [];
    for (const sender of SENDERS) {
      const expected = row![CREDENTIALS.indexOf(sender.credential)]!;
      const n = results.length;
      const { status, text, before, handoff } = await send(route, sender, n);
      results.push({ route, credential: sender.credential, variant: sender.variant, expected, status });
      if (status !== expected)
        wrong.push(`${sender.variant}: ${status} (expected ${expected}) ${text.slice(0, 120)}`);
      if (status >= 400) {
        expect(JSON.parse(text), `${route} × ${sender.variant}`).toMatchObject({
          error: { code: expect.any(String) },
        });
        expect(
          await fingerprint(world.database),
          `${route} × ${sender.variant} changed the database`,
        ).toEqual(before);
      }
      if (sender.credential === "another account's key") {
        for (const id of [world.a.id, ...(handoff ? [handoff.id] : [])]) expect(text).not.toContain(id);
      }
    }
    expect(wrong, route).toEqual([]);
  });

  it('should let no refused credential through: 0 unexpected 2xx', () => {
    const unexpected = results.filter(({ expected, status }) => expected >= 400 && status < 300);
    const mismatched = results.filter(({ expected, status }) => expected !== status);
    const cells = DOCUMENTED.length * CREDENTIALS.length;
    const forged = SENDERS.filter((sender) =>
      (FORGED_KINDS as readonly string[]).includes(sender.credential),
    );
    console.log(
      `authorization matrix: ${DOCUMENTED.length} documented routes × ${CREDENTIALS.length} credentials = ${cells} cells, ` +
        `${results.length} requests (${forged.length} forged token variants per route); ` +
        `${results.filter((r) => r.status < 300).length} allowed, ${results.filter((r) => r.status >= 400).length} refused; ` +
        `${unexpected.length} unexpected 2xx, ${mismatched.length} mismatches`,
    );
    expect(results).toHaveLength(DOCUMENTED.length * SENDERS.length);
    expect(unexpected).toEqual([]);
    expect(mismatched).toEqual([]);
  });
});
