/** The server's notion of "now", injected so tests can fix time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: for tests of time-based rules. */
export class ManualClock implements Clock {
  constructor(private _now: number) {}
  now(): number {
    return this._now;
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this._now += ms;
  }
  set(ms: number): void {
    this._now = ms;
  }
}
