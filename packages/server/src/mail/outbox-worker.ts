import { and, asc, eq, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { OutboxInsert, OutboxRow } from '../db/schema.js';
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
  /**
   * How long a claimed row is left to its sender: a process that dies
   * mid-send leaves the row due again after this (so it is sent at most twice).
   */
  leaseMs: number;
}

export const DEFAULT_OUTBOX_POLICY: OutboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
  pollMs: 5_000,
  leaseMs: 60_000,
};

/**
 * Sends queued escalation e-mail, one at a time, entirely apart from requests:
 * a dead or hanging mail server delays mail, never an escalation. Each row is
 * retried with exponential backoff up to `maxAttempts`, then marked failed.
 * A row is claimed before it is sent — its next attempt moved a lease ahead,
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL — so instances never send it twice.
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
    for (;;) {
      if (this._stopped) return;
      const row = await this._claim();
      if (!row) return;
      await this._send(row);
    }
  }

  /** Takes the most overdue row and leases it, in one transaction; undefined when none is due. */
  private async _claim(): Promise<OutboxRow | undefined> {
    const { database, clock } = this._options;
    const { notificationOutbox: outbox } = database.tables;
    const now = clock.now();
    return database.write(async (tx) => {
      const [due] = await tx.forUpdate(
        tx.db
          .select({ id: outbox.id })
          .from(outbox)
          .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
          .orderBy(asc(outbox.nextAttemptAt))
          .limit(1),
        { skipLocked: true },
      );
      if (!due) return undefined;
      const [leased] = await tx.db
        .update(outbox)
        .set({ nextAttemptAt: now + this._policy.leaseMs })
        .where(eq(outbox.id, due.id))
        .returning();
      return leased;
    });
  }

  private async _send(row: OutboxRow): Promise<void> {
    const { database, mailer, clock, logger, publicUrl, linkTemplate } = this._options;
    const attempts = row.attempts + 1;
    let error: string | null = null;
    try {
      const handoff = await getHandoff(database, row.accountId, row.handoffId);
      await mailer.send(
        escalationEmail(
          handoff,
          row.recipientEmail,
          handoffLink(linkTemplate, publicUrl, handoff.id),
          row.kind,
        ),
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
    const { notificationOutbox } = database.tables;
    await database.write(({ db }) =>
      db.update(notificationOutbox).set(update).where(eq(notificationOutbox.id, row.id)),
    );
  }
}
