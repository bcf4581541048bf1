import { normaliseAccountId } from '../account-id.js';
import type { Bus } from '../bus.js';

interface AccountPages {
  pages: Map<string, string>;
  /** Bumped by every wake-up of the account: a read begun before one must not be stored. */
  generation: number;
  unsubscribe: () => void;
}

/**
 * Serialized queue pages (and counts) per account, dropped the moment the
 * account has a new event. Every change to a handoff commits an event and
 * publishes on the bus — in this process, or, with several instances on
 * PostgreSQL, through the bus's notifications and poll — so a cached page is
 * never older than the last change the bus has told of. A read that a wake-up
 * overtakes is answered but not stored. Each senior's widget reads the same
 * pages; this turns those reads into a map lookup.
 */
export class QueueCache {
  private readonly _accounts = new Map<string, AccountPages>();

  constructor(
    private readonly _bus: Bus,
    private readonly _maxAccounts = 1000,
    private readonly _maxPagesPerAccount = 32,
  ) {}

  /**
   * The cached body for `key`, or `load()`'s, stored for the next reader unless
   * the account had a wake-up while it loaded (it may predate that change).
   */
  async read(accountId: string, key: string, load: () => Promise<string>): Promise<string> {
    const account = this._account(normaliseAccountId(accountId));
    const cached = account.pages.get(key);
    if (cached !== undefined) return cached;
    const generation = account.generation;
    const body = await load();
    if (account.generation === generation && this._accounts.get(normaliseAccountId(accountId)) === account) {
      if (account.pages.size >= this._maxPagesPerAccount) account.pages.clear();
      account.pages.set(key, body);
    }
    return body;
  }

  /** The account's entry, subscribed to its wake-ups before any read it caches begins. */
  private _account(id: string): AccountPages {
    let account = this._accounts.get(id);
    if (!account) {
      if (this._accounts.size >= this._maxAccounts) this._evictOldest();
      const entry: AccountPages = { pages: new Map(), generation: 0, unsubscribe: () => undefined };
      entry.unsubscribe = this._bus.subscribe(id, () => {
        entry.generation += 1;
        entry.pages.clear();
      });
      this._accounts.set(id, (account = entry));
    }
    return account;
  }

  private _evictOldest(): void {
    const oldest = this._accounts.keys().next().value;
    if (oldest === undefined) return;
    this._accounts.get(oldest)!.unsubscribe();
    this._accounts.delete(oldest);
  }
}
