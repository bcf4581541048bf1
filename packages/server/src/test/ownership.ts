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
 * and origin a tenant writes). `scan` extracts them from any text and names
 * the ones that belong to a tenant other than the viewer.
 */
export class Ownership {
  private readonly _owners = new Map<string, number>();

  /** A fresh marker for tenant `index`, e.g. `mk3x9f2a1c`. */
  static marker(index: number): string {
    return `mk${index}x${Math.floor(Math.random() * 0xffffff)
      .toString(16)
      .padStart(6, '0')}`;
  }

  /** Records that `value` (an id or a marker) belongs to tenant `index`. */
  own(value: string, index: number): void {
    this._owners.set(value.toLowerCase(), index);
  }

  /** The tenant that owns `value` (an id or a marker), if any. */
  ownerOf(value: string): number | undefined {
    return this._owners.get(value.toLowerCase());
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
