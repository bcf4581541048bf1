import { backoffDelay } from './backoff.js';

/** Failures in a row after which the status says `offline` rather than `reconnecting`. */
const OFFLINE_AFTER = 3;

/** What one more failure means: the status to show, and the wait before the next attempt. */
export interface Failure {
  status: 'reconnecting' | 'offline';
  delayMs: number;
}

/**
 * When a connection that keeps failing tries again, and what it says meanwhile:
 * exponential backoff with jitter from the server's `retry:` hint (never sooner
 * than its `Retry-After`), `offline` after three failures in a row or while the
 * browser is offline, and a refused token refreshed once. An open resets it.
 *
 * @example
 * ```ts
 * const policy = new ReconnectPolicy();
 * const { status, delayMs } = policy.fail(); // 'reconnecting', 500–1000 ms
 * setTimeout(open, delayMs);
 * policy.reset(); // once it is open
 * ```
 */
export class ReconnectPolicy {
  /** The backoff's base: the server's `retry:` field, 1 s until it sends one. */
  retryMs = 1000;

  private _failures = 0;
  private _refreshed = false;

  /** Counts a failure; the wait is at least `retryAfterMs` (the server's `Retry-After`). */
  fail(retryAfterMs = 0): Failure {
    const failures = ++this._failures;
    return {
      status: failures >= OFFLINE_AFTER || !navigator.onLine ? 'offline' : 'reconnecting',
      delayMs: Math.max(retryAfterMs, backoffDelay(failures, this.retryMs)),
    };
  }

  /** Whether a refused token may be refreshed and tried again: once until the next reset. */
  mayRefresh(): boolean {
    if (this._refreshed) return false;
    return (this._refreshed = true);
  }

  /** The stream opened, or a retry was asked for now: start counting again. */
  reset(): void {
    this._failures = 0;
    this._refreshed = false;
  }
}
