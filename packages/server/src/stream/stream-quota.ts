/**
 * Open streams per user (a principal's rate key), against a cap. Counted per
 * process: with several instances the cap holds on each (DESIGN §10).
 */
export class StreamQuota {
  private readonly _open = new Map<string, number>();

  constructor(
    /** Streams one user may hold open at once. */
    readonly max: number,
  ) {}

  /** True when `key` may open one more stream. */
  allows(key: string): boolean {
    return (this._open.get(key) ?? 0) < this.max;
  }

  /** Counts a stream `key` opened. */
  add(key: string): void {
    this._open.set(key, (this._open.get(key) ?? 0) + 1);
  }

  /** Frees the slot of a stream `key` closed. */
  remove(key: string): void {
    const remaining = (this._open.get(key) ?? 1) - 1;
    if (remaining > 0) this._open.set(key, remaining);
    else this._open.delete(key);
  }

  /** Forgets every count (all streams closed at once). */
  clear(): void {
    this._open.clear();
  }
}
