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

  constructor(max = 50_000) {
    this._seen = new LRUCache({ max });
  }

  /** True when this exact identity (name, e-mail and role included) was already recorded. */
  has(accountId: string, user: UserInput): boolean {
    return this._seen.get(keyOf(accountId, user)) === fingerprint(user);
  }

  /** Notes that this identity is recorded. */
  remember(accountId: string, user: UserInput): void {
    this._seen.set(keyOf(accountId, user), fingerprint(user));
  }
}
