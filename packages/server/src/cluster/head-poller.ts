import type { Logger } from 'pino';
import type postgres from 'postgres';

/**
 * The fallback that bounds the damage of any lost notification (a crash
 * between commit and NOTIFY, a listener away, a full notification queue): every
 * `intervalMs`, one query reads the heads of the accounts this instance has
 * subscribers for, and wakes those whose head moved (or is seen for the first
 * time) since the last poll.
 */
export class HeadPoller {
  private readonly _heads = new Map<string, number>();
  private _timer: NodeJS.Timeout | undefined;
  private _failing = false;

  constructor(
    private readonly _options: {
      pool: postgres.Sql;
      intervalMs: number;
      accounts: () => string[];
      changed: (accountId: string) => void;
      logger: Logger;
    },
  ) {}

  start(): void {
    this._schedule();
  }

  stop(): void {
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  private _schedule(): void {
    this._timer = setTimeout(
      () => void this._poll().finally(() => this._timer && this._schedule()),
      this._options.intervalMs,
    );
    this._timer.unref();
  }

  /** One poll: reads the heads and wakes the accounts whose head moved. */
  private async _poll(): Promise<void> {
    const accounts = this._options.accounts();
    const live = new Set(accounts);
    for (const known of this._heads.keys()) if (!live.has(known)) this._heads.delete(known);
    if (accounts.length === 0) return;
    try {
      const rows = await this._options.pool<{ account_id: string; last_seq: string }[]>`
        SELECT account_id, last_seq FROM account_streams WHERE account_id = ANY(${accounts})`;
      this._failing = false;
      for (const row of rows) {
        const head = Number(row.last_seq);
        if (this._heads.get(row.account_id) === head) continue;
        this._heads.set(row.account_id, head);
        this._options.changed(row.account_id);
      }
    } catch (error) {
      if (!this._failing) this._options.logger.warn({ err: (error as Error).message }, 'bus poll failed');
      this._failing = true;
    }
  }
}
