import { and, asc, eq, lte, notInArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Bus } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { Metrics } from '../metrics/metrics.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.js';
import type { AddressPolicy } from './address-guard.js';
import { chatMessage } from './chat-messages.js';
import { dispatchEvents } from './deliveries.js';
import { signingSecrets } from './endpoints.js';
import { postOnce, type AttemptOutcome } from './http-post.js';
import { recordAttempt } from './record-attempt.js';
import { signedHeaders } from './signing.js';

/** Retry and disable policy of webhook deliveries. */
export interface WebhookPolicy {
  /** Attempts per delivery before it is marked failed. */
  maxAttempts: number;
  /** First retry delay; doubles each attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failed attempts in a row (any delivery) after which the endpoint is disabled. */
  disableAfterFailures: number;
  /** Deadline of one attempt, connection to last byte. */
  timeoutMs: number;
  /** Deliveries in flight at once in this process, at most one per endpoint. */
  concurrency: number;
  pollMs: number;
  /** Where deliveries may go. */
  addresses: AddressPolicy;
}

export const DEFAULT_WEBHOOK_POLICY: Omit<WebhookPolicy, 'addresses'> = {
  maxAttempts: 8,
  baseDelayMs: 10_000,
  maxDelayMs: 60 * 60_000,
  disableAfterFailures: 20,
  timeoutMs: 10_000,
  concurrency: 8,
  pollMs: 1_000,
};

/** How long a nudge waits, gathering a burst of changes into one pass. */
const NUDGE_MS = 50;

/**
 * Sends webhook deliveries apart from requests. Each pass first turns new
 * events into deliveries ({@link dispatchEvents}), then keeps up to
 * `concurrency` attempts in flight, never two to one endpoint: a receiver
 * that hangs, fails or drops connections holds one slot until its deadline
 * and delays only its own deliveries. A delivery is leased before it is sent
 * (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so instances never send it at the
 * same time; a process that dies mid-send leaves it due again after the lease.
 */
export class WebhookWorker {
  private _timer: NodeJS.Timeout | undefined;
  private _filling: Promise<void> | undefined;
  private _again = false;
  private _stopped = false;
  private _nudge: NodeJS.Timeout | undefined;
  private readonly _stopping = new AbortController();
  private readonly _busy = new Set<string>();
  private readonly _inFlight = new Set<Promise<void>>();
  /** Attempts this process made (tests, metrics). */
  attempts = 0;

  constructor(
    private readonly _options: {
      database: Database;
      bus: Bus;
      clock: Clock;
      logger: Logger;
      policy: WebhookPolicy;
      /** The link in chat messages. */
      link: (handoffId: string) => string;
      /** Counts attempts and failed passes as the `webhook` outbox. */
      metrics?: Metrics;
    },
  ) {}

  start(): void {
    this._timer = setInterval(() => this.wake(), this._options.policy.pollMs);
    this._timer.unref();
    this.wake();
  }

  /**
   * A pass soon: requests call this after every change, and a burst of them
   * costs one pass, not one each (nor a write transaction beside every create).
   */
  nudge(): void {
    if (this._stopped || this._nudge) return;
    this._nudge = setTimeout(() => {
      this._nudge = undefined;
      this.wake();
    }, NUDGE_MS);
    this._nudge.unref();
  }

  /** Looks for new events and due deliveries now; never throws, never blocks the caller. */
  wake(): void {
    if (this._stopped) return;
    if (this._filling) {
      this._again = true;
      return;
    }
    this._filling = this._fill()
      .catch((error: unknown) => {
        this._options.logger.error({ err: (error as Error).message }, 'webhook pass failed');
        this._options.metrics?.outboxPassFailed('webhook');
      })
      .finally(() => {
        this._filling = undefined;
        if (this._again) {
          this._again = false;
          this.wake();
        }
      });
  }

  /** Resolves when nothing is being dispatched or sent (tests, shutdown). */
  async idle(): Promise<void> {
    while (this._filling || this._inFlight.size > 0) {
      await Promise.all([this._filling, ...this._inFlight]);
    }
  }

  async stop(): Promise<void> {
    this._stopped = true;
    clearInterval(this._timer);
    clearTimeout(this._nudge);
    this._stopping.abort();
    await this.idle();
  }

  private async _fill(): Promise<void> {
    const { database, clock, policy } = this._options;
    await dispatchEvents(database, clock.now());
    while (!this._stopped && this._inFlight.size < policy.concurrency) {
      const claimed = await this._claim();
      if (!claimed) return;
      this._busy.add(claimed.endpoint.id);
      const sending: Promise<void> = this._deliver(claimed.delivery, claimed.endpoint)
        .catch((error: unknown) => {
          this._options.logger.error({ err: (error as Error).message }, 'webhook outcome not recorded');
        })
        .finally(() => {
          this._busy.delete(claimed.endpoint.id);
          this._inFlight.delete(sending);
          this.wake();
        });
      this._inFlight.add(sending);
    }
  }

  /** Leases the most overdue delivery of an enabled endpoint not already in flight here. */
  private async _claim(): Promise<
    { delivery: WebhookDeliveryRow; endpoint: WebhookEndpointRow } | undefined
  > {
    const { database, clock, policy } = this._options;
    const { webhookDeliveries: deliveries, webhookEndpoints: endpoints } = database.tables;
    const now = clock.now();
    const dueNow = and(
      eq(deliveries.status, 'pending'),
      lte(deliveries.nextAttemptAt, now),
      this._busy.size > 0 ? notInArray(deliveries.endpointId, [...this._busy]) : undefined,
      sql`${deliveries.endpointId} IN (SELECT ${endpoints.id} FROM ${endpoints} WHERE ${endpoints.enabled})`,
    );
    // A read first: an idle outbox costs no write transaction (SQLite has one writer, shared with creates).
    const [any] = await database.db.select({ id: deliveries.id }).from(deliveries).where(dueNow).limit(1);
    if (!any) return undefined;
    return database.write(async (tx) => {
      const [due] = await tx.forUpdate(
        tx.db
          .select({ id: deliveries.id, endpointId: deliveries.endpointId })
          .from(deliveries)
          .where(dueNow)
          .orderBy(asc(deliveries.nextAttemptAt))
          .limit(1),
        { skipLocked: true },
      );
      if (!due) return undefined;
      const [delivery] = await tx.db
        .update(deliveries)
        .set({ nextAttemptAt: now + policy.timeoutMs + 30_000 })
        .where(eq(deliveries.id, due.id))
        .returning();
      const [endpoint] = await tx.db.select().from(endpoints).where(eq(endpoints.id, due.endpointId));
      return delivery && endpoint ? { delivery, endpoint } : undefined;
    });
  }

  /** The body and headers of one attempt, in the endpoint's format. */
  private _request(delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow, now: number) {
    const data: unknown = JSON.parse(delivery.payload);
    const base = { 'content-type': 'application/json', 'user-agent': 'ResolutionFlow-Webhooks/1' };
    if (endpoint.kind !== 'standard') {
      const body = JSON.stringify(chatMessage(endpoint.kind, delivery.eventType, data, this._options.link));
      return { body, headers: { ...base, 'webhook-id': delivery.id } };
    }
    const at = (data as { at?: string }).at ?? new Date(delivery.createdAt).toISOString();
    const body = JSON.stringify({ type: delivery.eventType, timestamp: at, data });
    const signed = signedHeaders(delivery.id, body, signingSecrets(endpoint, now), new Date(now));
    return { body, headers: { ...base, ...signed } };
  }

  private async _deliver(delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow): Promise<void> {
    const { clock, policy } = this._options;
    const started = clock.now();
    this.attempts++;
    let outcome: AttemptOutcome;
    try {
      const { body, headers } = this._request(delivery, endpoint, started);
      outcome = await postOnce(endpoint.url, body, headers, {
        timeoutMs: policy.timeoutMs,
        policy: policy.addresses,
        signal: this._stopping.signal,
      });
    } catch (error) {
      outcome = { status: null, error: `not sent: ${(error as Error).message}`, durationMs: 0 };
    }
    await this._record(delivery, endpoint, outcome, started);
  }

  /** Records the attempt, then says so in the log (and wakes streams when it disabled the endpoint). */
  private async _record(
    delivery: WebhookDeliveryRow,
    endpoint: WebhookEndpointRow,
    outcome: AttemptOutcome,
    at: number,
  ): Promise<void> {
    const { database, clock, logger, policy, bus } = this._options;
    if (outcome.error !== null) {
      logger.warn(
        {
          webhook: endpoint.id,
          delivery: delivery.id,
          attempts: delivery.attempts + 1,
          status: outcome.status,
          err: outcome.error,
        },
        'webhook delivery failed',
      );
    }
    const { sent, disabled } = await recordAttempt(database, policy, {
      delivery,
      endpoint,
      outcome,
      at,
      now: clock.now(),
    });
    this._options.metrics?.outboxSend('webhook', sent);
    if (disabled) {
      logger.warn({ webhook: endpoint.id, reason: disabled.reason }, 'webhook endpoint disabled');
      bus.publish(disabled.accountId);
    }
  }
}
