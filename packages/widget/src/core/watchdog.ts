/** Extra silence tolerated past two heartbeats: a heartbeat may arrive a little late. */
const GRACE_MS = 1000;

/**
 * Notices a stream that went quiet without closing (a dead proxy, a frozen
 * server, a laptop back from sleep): `onSilence` runs when nothing arrived for
 * two heartbeats. Every `arm()` starts the wait again.
 *
 * @example
 * ```ts
 * const watchdog = new Watchdog(15_000, reopen);
 * watchdog.arm(); // on every chunk the stream delivers
 * watchdog.stop(); // when the stream closes
 * ```
 */
export class Watchdog {
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** The server's heartbeat interval. */
    private readonly _heartbeatMs: number,
    private readonly _onSilence: () => void,
  ) {}

  /** Starts, or starts again, the wait for the next byte. */
  arm(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(this._onSilence, 2 * this._heartbeatMs + GRACE_MS);
  }

  /** Stops waiting. */
  stop(): void {
    clearTimeout(this._timer);
  }
}
