import { LRUCache } from 'lru-cache';
import type { UserInput } from '../domain/users.js';

const keyOf = (accountId: string, user: UserInput) => `${accountId}\u0000${user.id}`;
const fingerprint = (user: UserInput) => `${user.name}\u0000${user.email ?? ''}\u0000${user.role}`;

/**
 * Remembers which token identities were already written, so a user is upserted
 * on first sight (and when their claims change), not on every request. Bounded:
 * a user it forgot is simply written once more.
 */
export class SeenUsers {
  private readonly _seen: LRUCache<string, string>;
  /** Writes in flight, by identity and fingerprint. */
  private readonly _writing = new Map<string, Promise<void>>();

  constructor(max = 50_000) {
    this._seen = new LRUCache({ max });
  }

  /** True when this exact identity (name, e-mail and role included) was already recorded. */
  has(accountId: string, user: UserInput): boolean {
    return this._seen.get(keyOf(accountId, user)) === fingerprint(user);
  }

  /** Notes that this identity is recorded. */
  private _remember(accountId: string, user: UserInput): void {
    this._seen.set(keyOf(accountId, user), fingerprint(user));
  }

  /**
   * Runs `write` (the upsert) unless this exact identity is recorded, then
   * remembers it. Requests of one identity that arrive together share one
   * write: a user's first burst (a page opening several requests, or 50
   * connections at once) would otherwise upsert the same row concurrently, each
   * waiting for the previous one's commit.
   */
  async record(accountId: string, user: UserInput, write: () => Promise<unknown>): Promise<void> {
    if (this.has(accountId, user)) return;
    const key = `${keyOf(accountId, user)}\u0000${fingerprint(user)}`;
    let pending = this._writing.get(key);
    if (!pending) {
      pending = write()
        .then(() => this._remember(accountId, user))
        .finally(() => this._writing.delete(key));
      this._writing.set(key, pending);
    }
    await pending;
  }
}
