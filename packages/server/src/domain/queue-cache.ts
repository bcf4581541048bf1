import { normaliseAccountId } from '../account-id.js';
import type { Bus } from '../bus.js';

interface AccountPages {
  pages: Map<string, string>;
  unsubscribe: () => void;
}

/**
 * Serialized queue pages per account, dropped the moment the account has a
 * new event. Every change to a handoff commits an event and publishes on the
 * bus, so a cached page is never older than the last committed change that
 * this process (the only writer of handoffs) made. Each senior's widget reads
 * the same pages; this turns those reads into a map lookup.
 */
export class QueueCache {
  private readonly _accounts = new Map<string, AccountPages>();

  constructor(
    private readonly _bus: Bus,
    private readonly _maxAccounts = 1000,
    private readonly _maxPagesPerAccount = 32,
  ) {}

  get(accountId: string, key: string): string | undefined {
    return this._accounts.get(normaliseAccountId(accountId))?.pages.get(key);
  }

  set(accountId: string, key: string, body: string): void {
    const id = normaliseAccountId(accountId);
    let account = this._accounts.get(id);
    if (!account) {
      if (this._accounts.size >= this._maxAccounts) this._evictOldest();
      const unsubscribe = this._bus.subscribe(id, () => this._drop(id));
      account = { pages: new Map(), unsubscribe };
      this._accounts.set(id, account);
    }
    if (account.pages.size >= this._maxPagesPerAccount) account.pages.clear();
    account.pages.set(key, body);
  }

  private _drop(accountId: string): void {
    const account = this._accounts.get(accountId);
    if (!account) return;
    account.unsubscribe();
    this._accounts.delete(accountId);
  }

  private _evictOldest(): void {
    const oldest = this._accounts.keys().next().value;
    if (oldest !== undefined) this._drop(oldest);
  }
}
