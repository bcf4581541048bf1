import { normaliseAccountId } from './account-id.js';

/**
 * Wakes live streams when an account has new events. The events table is the
 * truth; the bus carries no payload, so a missed wake-up loses nothing.
 */
export interface Bus {
  /** Says "this account has new events". */
  publish(accountId: string): void;
  /** Calls `listener` on every publish for the account; returns the unsubscribe function. */
  subscribe(accountId: string, listener: () => void): () => void;
  /** Stops what the bus runs in the background (a listener connection, a poll). */
  close?(): Promise<void>;
}

/** A bus inside one process: enough for the embedded single-instance default. */
export class InProcessBus implements Bus {
  private readonly _listeners = new Map<string, Set<() => void>>();

  publish(accountId: string): void {
    const listeners = this._listeners.get(normaliseAccountId(accountId));
    if (!listeners) return;
    for (const listener of [...listeners]) listener();
  }

  subscribe(accountId: string, listener: () => void): () => void {
    const key = normaliseAccountId(accountId);
    let listeners = this._listeners.get(key);
    if (!listeners) {
      listeners = new Set();
      this._listeners.set(key, listeners);
    }
    const set = listeners;
    set.add(listener);
    return () => {
      set.delete(listener);
      // Only forget the account if this set is still the live one: a late or second
      // unsubscribe must not drop listeners that subscribed after the set emptied.
      if (set.size === 0 && this._listeners.get(key) === set) this._listeners.delete(key);
    };
  }

  /** The accounts with at least one subscriber. */
  accounts(): string[] {
    return [...this._listeners.keys()];
  }

  /** Number of accounts with at least one subscriber (for tests and metrics). */
  get accountCount(): number {
    return this._listeners.size;
  }
}
