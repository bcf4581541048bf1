import type { EscalationAnalytics, Handoff, HandoffPage } from '@resolutionflow/types';
import { expect } from 'vitest';
import { encodeCursor } from '../domain/cursor.js';
import { eventId, SseClient } from './sse-client.js';
import type { TenantFuzz } from './tenant-fuzz.js';

const MAX_OPEN_STREAMS = 6;
const ACTIONS = ['claim', 'release', 'start', 'resolve', 'cancel'] as const;
const STATUSES = ['open', 'claimed', 'started', 'resolved', 'cancelled'];

/**
 * What the cross-tenant fuzzer does, by name: each operation acts as a random
 * tenant, aims at any tenant's ids, and checks what it may (statuses, foreign
 * ids answered as unknown ones, streams carrying only the tenant's own events).
 */
export function tenantFuzzOperations(fuzz: TenantFuzz) {
  const { prng } = fuzz;
  return {
    async create() {
      const tenant = fuzz.anyTenant();
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
      const { status, text } = await fuzz.call(tenant, token, 'POST', '/v1/handoffs', body);
      expect(status).toBe(201);
      const handoff = JSON.parse(text) as Handoff;
      fuzz.recordCreated(tenant, handoff);
      if (intent === 'escalate') tenant.escalations += 1;
    },
    async list() {
      const tenant = fuzz.anyTenant();
      const params = new URLSearchParams({
        limit: String(1 + prng.int(20)),
        order: prng.pick(['priority', 'newest']),
      });
      if (prng.chance(0.4)) params.set('status', STATUSES.filter(() => prng.chance(0.5)).join(',') || 'open');
      const foreign = fuzz.otherThan(tenant);
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
        const { status, text } = await fuzz.call(tenant, token, 'GET', `/v1/handoffs?${params}`);
        expect(status).toBe(200);
        const { nextCursor } = JSON.parse(text) as HandoffPage;
        if (!nextCursor) break;
        tenant.cursors.push(nextCursor);
        params.set('cursor', nextCursor);
      }
    },
    async get() {
      const tenant = fuzz.anyTenant();
      const handoff = fuzz.anyHandoff();
      if (!handoff) return;
      const get = (id: string) => fuzz.call(tenant, tenant.tokens.viewer, 'GET', `/v1/handoffs/${id}`);
      await fuzz.expectForeign(tenant, handoff, await get(handoff.id), get, [200]);
    },
    async transition() {
      const tenant = fuzz.anyTenant();
      const handoff = fuzz.anyHandoff();
      if (!handoff) return;
      const as = prng.pick(['technician', 'engineer1', 'engineer2', 'admin', 'apiKey'] as const);
      const token = as === 'apiKey' ? tenant.account.apiKey : tenant.tokens[as];
      const action = prng.pick(ACTIONS);
      const post = (id: string) => fuzz.call(tenant, token, 'POST', `/v1/handoffs/${id}/${action}`);
      await fuzz.expectForeign(tenant, handoff, await post(handoff.id), post, [200, 403, 409]);
    },
    async roster() {
      const tenant = fuzz.anyTenant();
      const id = prng.chance(0.5) ? `shared-${prng.int(4)}` : `${tenant.marker}-synced-${prng.int(20)}`;
      const body = {
        name: `${tenant.marker} ${id}`,
        email: `${id}@${tenant.marker}.example`,
        role: prng.pick(['viewer', 'engineer', 'admin']),
      };
      const token = prng.chance(0.5) ? tenant.account.apiKey : tenant.tokens.admin;
      expect((await fuzz.call(tenant, token, 'PUT', `/v1/users/${id}`, body)).status).toBe(200);
    },
    async actAsForeignUser() {
      const tenant = fuzz.anyTenant();
      const foreign = fuzz.otherThan(tenant);
      const actAs = (id: string) =>
        fuzz.call(tenant, tenant.account.apiKey, 'GET', '/v1/me', undefined, { 'X-Acting-User': id }, id);
      const foreignUser = `${foreign.marker}-engineer-1`;
      const answer = await actAs(foreignUser);
      expect(answer.status).toBe(403);
      // Exactly what a user who exists nowhere gets: no existence oracle across tenants.
      const nobody = `nobody-${prng.int(1e9)}`;
      expect(answer.text.replace(foreignUser, '?')).toBe((await actAs(nobody)).text.replace(nobody, '?'));
      fuzz.foreignRefused += 1;
    },
    async settings() {
      const tenant = fuzz.anyTenant();
      if (prng.chance(0.3)) {
        const body = { manualBaselineMinutes: 5 + prng.int(30) };
        expect(
          (await fuzz.call(tenant, tenant.tokens.admin, 'PUT', '/v1/account/settings', body)).status,
        ).toBe(200);
      }
      expect((await fuzz.call(tenant, tenant.tokens.admin, 'GET', '/v1/account/settings')).status).toBe(200);
    },
    async analytics() {
      const tenant = fuzz.anyTenant();
      const { status, text } = await fuzz.call(
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
      const tenant = fuzz.anyTenant();
      await fuzz.call(
        tenant,
        tenant.tokens[prng.pick(['viewer', 'technician', 'admin'] as const)],
        'GET',
        '/v1/me',
      );
    },
    async openStream() {
      if (fuzz.streams.length >= MAX_OPEN_STREAMS) await fuzz.checkStream(fuzz.streams.shift()!);
      const tenant = fuzz.anyTenant();
      const foreign = fuzz.otherThan(tenant);
      const foreignSeqs = await fuzz.ownSeqsAfter(foreign, 0);
      const from = prng.weighted({ foreign: 5, zero: 1, own: 1, none: 1 });
      const ownSeqs = await fuzz.ownSeqsAfter(tenant, 0);
      const lastEventId =
        from === 'foreign' && foreignSeqs.length > 0
          ? prng.pick(foreignSeqs)
          : from === 'own' && ownSeqs.length > 0
            ? prng.pick(ownSeqs)
            : from === 'none'
              ? null
              : 0;
      const headers: Record<string, string> = { Authorization: `Bearer ${tenant.tokens.viewer}` };
      if (lastEventId !== null) headers['Last-Event-ID'] = eventId(lastEventId);
      const client = await SseClient.connect(`${fuzz.url}/v1/stream`, headers);
      expect(client.status).toBe(200);
      // Sequences are per account: an id past this tenant's newest (another tenant's) is reset to the tail.
      const tail = await fuzz.maxOwnSeq(tenant);
      const after = lastEventId === null || lastEventId > tail ? tail : lastEventId;
      fuzz.streams.push({ tenant, client, after });
    },
    async closeStream() {
      if (fuzz.streams.length > 0)
        await fuzz.checkStream(fuzz.streams.splice(prng.int(fuzz.streams.length), 1)[0]!);
    },
  };
}

/** The name of one kind of fuzz operation. */
export type TenantFuzzOperation = keyof ReturnType<typeof tenantFuzzOperations>;

/** How often each operation is picked, relative to the others. */
export const TENANT_FUZZ_WEIGHTS: Record<TenantFuzzOperation, number> = {
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
