import { and, asc, eq, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { notificationOutbox, type OutboxInsert } from '../db/schema.js';
import { getHandoff } from '../domain/handoffs.js';
import { escalationEmail, handoffLink } from './escalation-email.js';
import type { Mailer } from './mailer.js';
import { noopMetrics, type Metrics } from '../metrics/metrics.js';

/** Retry policy of the outbox. */
export interface OutboxPolicy {
  maxAttempts: number;
  /** First retry delay; doubles each attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How often due rows are looked for without a wake-up. */
  pollMs: number;
}

export const DEFAULT_OUTBOX_POLICY: OutboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
  pollMs: 5_000,
};

/**
 * Sends queued escalation e-mail, one at a time, entirely apart from requests:
 * a dead or hanging mail server delays mail, never an escalation. Each row is
 * retried with exponential backoff up to `maxAttempts`, then marked failed.
 */
export class OutboxWorker {
  private _timer: NodeJS.Timeout | undefined;
  private _running: Promise<void> | undefined;
  private _again = false;
  private _stopped = false;

  constructor(
    private readonly _options: {
      database: Database;
      mailer: Mailer;
      clock: Clock;
      logger: Logger;
      publicUrl: string;
      linkTemplate: string;
      policy?: OutboxPolicy;
      /** Told of each send's outcome and of failed passes. */
      metrics?: Metrics;
    },
  ) {}

  private get _policy(): OutboxPolicy {
    return this._options.policy ?? DEFAULT_OUTBOX_POLICY;
  }

  /** Starts polling for due rows. */
  start(): void {
    this._timer = setInterval(() => this.wake(), this._policy.pollMs);
    this._timer.unref();
    this.wake();
  }

  /** Looks for due rows now (after an escalation); never throws, never blocks the caller. */
  wake(): void {
    if (this._stopped) return;
    if (this._running) {
      this._again = true;
      return;
    }
    this._running = this._drain()
      .catch((error: unknown) => {
        // A busy or closing database: the row stays pending and the next pass retries it.
        this._options.logger.error({ err: (error as Error).message }, 'outbox pass failed');
        (this._options.metrics ?? noopMetrics).outboxPassFailed('mail');
      })
      .finally(() => {
        this._running = undefined;
        if (this._again) {
          this._again = false;
          this.wake();
        }
      });
  }

  /** Resolves when the current pass is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this._running) await this._running;
  }

  /** Stops polling and waits for a send in flight to record its outcome. */
  async stop(): Promise<void> {
    this._stopped = true;
    clearInterval(this._timer);
    await this.idle();
    this._options.mailer.close();
  }

  private async _drain(): Promise<void> {
    const { database, clock } = this._options;
    for (;;) {
      if (this._stopped) return;
      const row = database.db
        .select()
        .from(notificationOutbox)
        .where(
          and(eq(notificationOutbox.status, 'pending'), lte(notificationOutbox.nextAttemptAt, clock.now())),
        )
        .orderBy(asc(notificationOutbox.nextAttemptAt))
        .limit(1)
        .get();
      if (!row) return;
      await this._send(row);
    }
  }

  private async _send(row: typeof notificationOutbox.$inferSelect): Promise<void> {
    const { database, mailer, clock, logger, publicUrl, linkTemplate } = this._options;
    const attempts = row.attempts + 1;
    let error: string | null = null;
    try {
      const handoff = getHandoff(database, row.accountId, row.handoffId);
      await mailer.send(
        escalationEmail(handoff, row.recipientEmail, handoffLink(linkTemplate, publicUrl, handoff.id)),
      );
    } catch (failure) {
      error = (failure as Error).message.slice(0, 500);
    }
    const now = clock.now();
    const policy = this._policy;
    const update: Partial<OutboxInsert> =
      error === null
        ? { status: 'sent', attempts, sentAt: now, lastError: null }
        : attempts >= policy.maxAttempts
          ? { status: 'failed', attempts, lastError: error }
          : {
              attempts,
              lastError: error,
              nextAttemptAt: now + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1)),
            };
    if (error) logger.warn({ outbox: row.id, attempts, err: error }, 'escalation e-mail not sent');
    (this._options.metrics ?? noopMetrics).outboxSend(
      'mail',
      error === null ? 'sent' : update.status === 'failed' ? 'failed' : 'retry',
    );
    database.write((db) =>
      db.update(notificationOutbox).set(update).where(eq(notificationOutbox.id, row.id)).run(),
    );
  }
}
