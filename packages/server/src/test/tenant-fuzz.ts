import type { Handoff, HandoffEventData } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../db/database.js';
import type { Leak, Ownership } from './ownership.js';
import type { Prng } from './prng.js';
import { queryRows } from './sql.js';
import { isDense, type SseClient } from './sse-client.js';
import type { Tenant } from './tenants.js';

/** A stream a tenant holds open, and the sequence number it started after. */
export interface OpenStream {
  tenant: Tenant;
  client: SseClient;
  after: number;
}

/** An answer as the fuzzer reads it. */
export interface FuzzAnswer {
  status: number;
  text: string;
}

/**
 * One cross-tenant fuzz run against a server at `url`: the tenants, every
 * request made as one of them (each answer scanned for other tenants'
 * identifiers) and the tallies the run reports.
 */
export class TenantFuzz {
  readonly statuses: Record<string, number> = {};
  readonly leaks: Leak[] = [];
  readonly streams: OpenStream[] = [];
  requests = 0;
  /** Requests aimed at another tenant's ids or users, all refused. */
  foreignRefused = 0;
  framesChecked = 0;
  streamsChecked = 0;

  constructor(
    readonly prng: Prng,
    readonly url: string,
    readonly tenants: Tenant[],
    private readonly _ownership: Ownership,
    private readonly _database: Database,
  ) {}

  /** One request as `tenant`; every byte of the answer is scanned for other tenants' identifiers. */
  async call(
    tenant: Tenant,
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    echoed?: string,
  ): Promise<FuzzAnswer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    this.requests += 1;
    this.statuses[response.status] = (this.statuses[response.status] ?? 0) + 1;
    expect(response.status, `${method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
    // A refusal may quote what the caller itself sent (`echoed`); anything else of another tenant is a leak.
    this.leaks.push(
      ...this._ownership.scan(echoed ? text.replaceAll(echoed, '') : text, tenant.index, `${method} ${path}`),
    );
    return { status: response.status, text };
  }

  /** Notes a handoff `tenant` created, so scans know whose it is. */
  recordCreated(tenant: Tenant, handoff: Handoff): void {
    this._ownership.own(handoff.id, tenant.index);
    tenant.handoffs.push(handoff);
  }

  anyTenant(): Tenant {
    return this.prng.pick(this.tenants);
  }

  /** Another tenant than `tenant`. */
  otherThan(tenant: Tenant): Tenant {
    return this.prng.pick(this.tenants.filter((other) => other !== tenant));
  }

  /** A handoff of any tenant (the fuzzer aims at everyone's ids), or undefined before the first create. */
  anyHandoff(): Handoff | undefined {
    const owners = this.tenants.filter((tenant) => tenant.handoffs.length > 0);
    return owners.length > 0 ? this.prng.pick(this.prng.pick(owners).handoffs) : undefined;
  }

  /** The tenant's newest event sequence number (0 before its first event). */
  async maxOwnSeq(tenant: Tenant): Promise<number> {
    const rows = await queryRows<{ seq: number | string | null }>(
      this._database,
      sql`SELECT max(seq) AS seq FROM events WHERE account_id = ${tenant.account.id}`,
    );
    const seq = rows[0]?.seq;
    return seq === null || seq === undefined ? 0 : Number(seq);
  }

  /** The tenant's event sequence numbers after `after`, in order. */
  async ownSeqsAfter(tenant: Tenant, after: number): Promise<number[]> {
    const rows = await queryRows<{ seq: number | string }>(
      this._database,
      sql`SELECT seq FROM events WHERE account_id = ${tenant.account.id} AND seq > ${after} ORDER BY seq`,
    );
    return rows.map((row) => Number(row.seq));
  }

  /**
   * Another tenant's id must answer exactly as an id that never existed (a 404,
   * or the same role refusal): no existence oracle. The tenant's own gets one of `allowed`.
   */
  async expectForeign(
    tenant: Tenant,
    handoff: Handoff,
    answer: FuzzAnswer,
    probe: (id: string) => Promise<FuzzAnswer>,
    allowed: number[],
  ): Promise<void> {
    const owner = this.tenants.find((candidate) => candidate.handoffs.some((h) => h.id === handoff.id));
    if (owner === tenant) {
      expect(allowed).toContain(answer.status);
      return;
    }
    expect([403, 404]).toContain(answer.status);
    expect(answer).toEqual(await probe(crypto.randomUUID()));
    this.foreignRefused += 1;
  }

  /**
   * Waits until the stream holds every event of its tenant after its starting
   * point, then closes it and checks each frame: own ids only, in order, once.
   */
  async checkStream({ tenant, client, after }: OpenStream): Promise<void> {
    const expected = await this.ownSeqsAfter(tenant, after);
    await client.until((c) => c.ids.length >= expected.length, 10_000);
    client.close();
    expect(client.ids).toEqual(expected);
    expect(isDense([after, ...client.ids]), `ids after ${after} on tenant ${tenant.index}'s stream`).toBe(
      true,
    );
    for (const frame of client.frames) {
      if (frame.id !== undefined) {
        const { handoff } = JSON.parse(frame.data!) as HandoffEventData;
        expect(
          this._ownership.ownerOf(handoff.id),
          `event ${frame.id} on tenant ${tenant.index}'s stream`,
        ).toBe(tenant.index);
      }
      this.leaks.push(
        ...this._ownership.scan(JSON.stringify(frame), tenant.index, `stream frame ${frame.id}`),
      );
    }
    this.framesChecked += client.frames.length;
    this.streamsChecked += 1;
  }
}
