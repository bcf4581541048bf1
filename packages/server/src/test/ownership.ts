import type { Database } from '../db/database.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const MARKER = /mk\d+x[0-9a-f]{6}/g;

/** A leak: text shown to one tenant that carries something of another. */
export interface Leak {
  viewer: number;
  owner: number;
  value: string;
  where: string;
}

/**
 * Who owns every identifier a test hands out: account ids, API key ids,
 * handoff ids and per-tenant markers (a marker is in every name, title, e-mail
 * and origin a tenant writes), plus event sequence numbers from the events
 * table. `scan` extracts them from any text and names the ones that belong to
 * a tenant other than the viewer.
 */
export class Ownership {
  private readonly _owners = new Map<string, number>();
  private readonly _seqOwners = new Map<number, number>();
  private readonly _accountIndex = new Map<string, number>();

  constructor(private readonly _database: Database) {}

  /** A fresh marker for tenant `index`, e.g. `mk3x9f2a1c`. */
  static marker(index: number): string {
    return `mk${index}x${Math.floor(Math.random() * 0xffffff)
      .toString(16)
      .padStart(6, '0')}`;
  }

  /** Records that `value` (an id or a marker) belongs to tenant `index`. */
  own(value: string, index: number, accountId?: string): void {
    this._owners.set(value.toLowerCase(), index);
    if (accountId) this._accountIndex.set(accountId, index);
  }

  /** The tenant owning event `seq` (looked up in the events table once). */
  ownerOfSeq(seq: number): number | undefined {
    if (!this._seqOwners.has(seq)) {
      const row = this._database.sqlite
        .prepare('SELECT account_id AS accountId FROM events WHERE seq = ?')
        .get(seq) as { accountId: string } | undefined;
      if (row) this._seqOwners.set(seq, this._accountIndex.get(row.accountId) ?? -1);
    }
    return this._seqOwners.get(seq);
  }

  /** Every owned identifier in `text` that belongs to a tenant other than `viewer`. */
  scan(text: string, viewer: number, where: string): Leak[] {
    const leaks: Leak[] = [];
    for (const value of [...(text.match(UUID) ?? []), ...(text.match(MARKER) ?? [])]) {
      const owner = this._owners.get(value.toLowerCase());
      if (owner !== undefined && owner !== viewer) leaks.push({ viewer, owner, value, where });
    }
    return leaks;
  }
}
