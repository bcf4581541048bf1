import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy } from '@resolutionflow/types';
import { and, asc, eq, inArray, lte, notExists, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Bus } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { Metrics } from '../metrics/metrics.js';
import { fireStep, type DueStep } from './fire-step.js';

/** Most steps fired per step and account in one pass: a backlog drains over a few passes. */
const BATCH = 100;

/**
 * Runs every account's escalation policy. Its timers are the database's own
 * rows — an open escalation's `created_at`, a claim's `claimed_at`, and the
 * `policy_firings` of the steps already fired — so nothing is held in memory:
 * a restart finds the same due steps, a step due while the server was down
 * fires on the first pass after, and one that fired is never found again. Any
 * number of instances may run passes at once: each firing takes its step's
 * key in the transaction that writes its event, so exactly one of them fires
 * it (the others find the key taken and do nothing).
 */
export class PolicyScheduler {
  private _timer: NodeJS.Timeout | undefined;
  private _running: Promise<void> | undefined;
  private _stopped = false;
  /** Due steps this process found, and how many of them it fired (the rest: fired elsewhere, or moved on). */
  found = 0;
  fired = 0;

  constructor(
    private readonly _options: {
      database: Database;
      bus: Bus;
      clock: Clock;
      logger: Logger;
      /** How often due steps are looked for. */
      pollMs: number;
      /** Queue e-mail for the people a step notifies (only with a mailer). */
      mail: boolean;
      /** Told after a pass fired something: mail and webhooks go out promptly. */
      onFired?: () => void;
      /** Counts the steps this process fired. */
      metrics?: Metrics;
    },
  ) {}

  start(): void {
    this._timer = setInterval(() => this.wake(), this._options.pollMs);
    this._timer.unref();
    this.wake();
  }

  /** Runs a pass now unless one is running; never throws. */
  wake(): void {
    if (this._stopped || this._running) return;
    this._running = this.pass()
      .then(() => undefined)
      .catch((error: unknown) => {
        // A busy or closing database: the next pass finds the same steps still due.
        this._options.logger.error({ err: (error as Error).message }, 'policy pass failed');
      })
      .finally(() => (this._running = undefined));
  }

  async stop(): Promise<void> {
    this._stopped = true;
    clearInterval(this._timer);
    while (this._running) await this._running;
  }

  /** One pass over the accounts with something waiting; resolves to the number of steps fired. */
  async pass(): Promise<number> {
    const { database, clock } = this._options;
    const { handoffs, accountSettings } = database.tables;
    const waiting = await database.db
      .selectDistinct({ accountId: handoffs.accountId })
      .from(handoffs)
      .where(inArray(handoffs.status, ['open', 'claimed']));
    let fired = 0;
    for (const { accountId } of waiting) {
      const [settings] = await database.db
        .select({ policy: accountSettings.policy })
        .from(accountSettings)
        .where(eq(accountSettings.accountId, accountId));
      const policy = settings?.policy ?? DEFAULT_ESCALATION_POLICY;
      const due = await this._dueSteps(accountId, policy, clock.now());
      this.found += due.length;
      let accountFired = 0;
      for (const step of due) {
        if (this._stopped) break;
        if (await fireStep(database, step, clock.now(), { mail: this._options.mail })) {
          accountFired++;
          this._options.metrics?.policyStepFired(step.action);
        }
      }
      if (accountFired > 0) {
        this._options.bus.publish(accountId);
        fired += accountFired;
      }
    }
    if (fired > 0) {
      this.fired += fired;
      this._options.onFired?.();
    }
    return fired;
  }

  /** The account's steps due now, oldest escalations first, earlier steps before later ones. */
  private async _dueSteps(accountId: string, policy: EscalationPolicy, now: number): Promise<DueStep[]> {
    const { database } = this._options;
    const { handoffs, policyFirings } = database.tables;
    const due: DueStep[] = [];
    for (const [step, rule] of policy.unclaimed.entries()) {
      const key = `unclaimed:${step}`;
      const rows = await database.db
        .select({ id: handoffs.id })
        .from(handoffs)
        .where(
          and(
            eq(handoffs.accountId, accountId),
            eq(handoffs.status, 'open'),
            eq(handoffs.intent, 'escalate'),
            lte(handoffs.createdAt, now - rule.afterSeconds * 1000),
            rule.priorities ? inArray(handoffs.priority, rule.priorities) : undefined,
            notExists(
              database.db
                .select({ one: sql`1` })
                .from(policyFirings)
                .where(and(eq(policyFirings.handoffId, handoffs.id), eq(policyFirings.stepKey, key))),
            ),
          ),
        )
        .orderBy(asc(handoffs.createdAt))
        .limit(BATCH);
      for (const row of rows) {
        due.push({
          accountId,
          handoffId: row.id,
          rule: 'unclaimed',
          step,
          afterSeconds: rule.afterSeconds,
          action: rule.notify,
        });
      }
    }
    for (const [step, rule] of policy.claimedNotStarted.entries()) {
      const key = sql`'claimed:' || cast(${handoffs.claimedAt} as text) || ${`:${step}`}`;
      const rows = await database.db
        .select({ id: handoffs.id, claimedAt: handoffs.claimedAt })
        .from(handoffs)
        .where(
          and(
            eq(handoffs.accountId, accountId),
            eq(handoffs.status, 'claimed'),
            eq(handoffs.intent, 'escalate'),
            lte(handoffs.claimedAt, now - rule.afterSeconds * 1000),
            notExists(
              database.db
                .select({ one: sql`1` })
                .from(policyFirings)
                .where(and(eq(policyFirings.handoffId, handoffs.id), eq(policyFirings.stepKey, key))),
            ),
          ),
        )
        .orderBy(asc(handoffs.claimedAt))
        .limit(BATCH);
      for (const row of rows) {
        due.push({
          accountId,
          handoffId: row.id,
          rule: 'claimedNotStarted',
          step,
          afterSeconds: rule.afterSeconds,
          action: rule.action,
          claimedAt: row.claimedAt!,
        });
      }
    }
    return due;
  }
}
