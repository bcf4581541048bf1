import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Where a load is, numbered as `@lit/task`'s `TaskStatus`: loading (or nothing
 * to load yet: the elements show both alike), loaded, failed.
 */
const PENDING = 1;
export const COMPLETE = 2;
export const ERROR = 3;
export type LoadStatus = typeof PENDING | typeof COMPLETE | typeof ERROR;

/** What to load, from which inputs, and what to do with the outcome. */
export interface LoadOptions<A extends readonly unknown[], T> {
  /** Loads for `args`; resolves undefined when there is nothing to load yet (no client). */
  task(args: A, abort: { signal: AbortSignal }): Promise<T | undefined>;
  /** The inputs: a change in any of them (by identity) loads again. */
  args(): A;
  onComplete?(value: T): void;
  onError?(error: unknown): void;
}

/**
 * The one async-data pattern the elements need, in the shape of `@lit/task`'s
 * `Task` (status, value, error, `run()`), which it replaced to keep the
 * script-tag file within its 20 KB budget (about 0.6 KB min+gzip less): it
 * loads when the inputs change (checked before each render), aborts a load
 * that a newer one replaces and ignores its outcome, and keeps the last value
 * while a reload runs, so a refresh never blanks what is shown.
 */
export class LoadController<A extends readonly unknown[], T> implements ReactiveController {
  status: LoadStatus = PENDING;
  value: T | undefined;
  error: unknown;
  private _args: A | undefined;
  private _abort: AbortController | undefined;

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _options: LoadOptions<A, T>,
  ) {
    _host.addController(this);
  }

  hostUpdate(): void {
    const args = this._options.args();
    if (!this._args || args.some((arg, index) => arg !== this._args![index])) void this.run(args);
  }

  /** Loads now (again), with the current inputs unless given others. */
  async run(args = this._options.args()): Promise<void> {
    this._args = args;
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    this.status = PENDING;
    this._host.requestUpdate();
    try {
      const value = await this._options.task(args, abort);
      if (abort !== this._abort) return; // A newer load replaced this one.
      if (value !== undefined) {
        this.status = COMPLETE;
        this.value = value;
        this._options.onComplete?.(value);
      }
    } catch (error) {
      if (abort !== this._abort) return;
      this.status = ERROR;
      this.error = error;
      this._options.onError?.(error);
    }
    this._host.requestUpdate();
  }
}
