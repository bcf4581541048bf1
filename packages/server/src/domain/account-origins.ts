import type { Database } from '../db/database.js';

/**
 * Each account's allowed browser origins, cached briefly. Preflights carry no
 * token, so they are answered from the union; real requests are then checked
 * against the token's own account.
 */
export class AccountOrigins {
  private _byAccount = new Map<string, Set<string>>();
  private _union = new Set<string>();
  private _loadedAt = -Infinity;

  constructor(
    private readonly _database: Database,
    private readonly _ttlMs = 10_000,
  ) {}

  /** True when any account allows `origin` (used for preflights). */
  async allowedAnywhere(origin: string, now = Date.now()): Promise<boolean> {
    await this._refresh(now);
    return this._union.has(origin);
  }

  /** True when `accountId` allows `origin`. */
  async allowedFor(accountId: string, origin: string, now = Date.now()): Promise<boolean> {
    await this._refresh(now);
    return this._byAccount.get(accountId)?.has(origin) ?? false;
  }

  /** Drops the cache (after settings change in this process). */
  invalidate(): void {
    this._loadedAt = -Infinity;
  }

  private async _refresh(now: number): Promise<void> {
    if (now - this._loadedAt < this._ttlMs) return;
    const { accountSettings } = this._database.tables;
    const rows = await this._database.db
      .select({ accountId: accountSettings.accountId, origins: accountSettings.allowedOrigins })
      .from(accountSettings);
    this._byAccount = new Map(rows.map((row) => [row.accountId, new Set(row.origins)]));
    this._union = new Set(rows.flatMap((row) => row.origins));
    this._loadedAt = now;
  }
}
