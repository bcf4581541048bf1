import type { Assessment, Handoff } from '@resolutionflow/types';
import { and, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Bus } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { toHandoff } from '../domain/handoff-mapper.js';
import { recordAssessment } from '../domain/transitions.js';
import type { Assessor } from './assessor.js';
import { noopMetrics, type Metrics } from '../metrics/metrics.js';

const TIMED_OUT = Symbol('timed out');

/**
 * Runs assessments beside the requests that created them, under a timeout
 * (`ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS`). The outcome — `ready`,
 * `timed_out` or `failed` — is stored with a `handoff.assessed` event.
 */
export class AssessmentRunner {
  private readonly _inFlight = new Set<Promise<void>>();
  private readonly _queue: { accountId: string; handoff: Handoff; deadline: number; done: () => void }[] = [];
  private _running = 0;

  constructor(
    private readonly _options: {
      assessor: Assessor;
      database: Database;
      bus: Bus;
      clock: Clock;
      logger: Logger;
      timeoutMs: number;
      /** Assessments running at once; more wait in a queue (default 16). */
      maxConcurrent?: number;
      /** Told of each assessment's outcome and duration. */
      metrics?: Metrics;
    },
  ) {}

  /**
   * Starts assessing (or queues it behind the running ones); never awaited by
   * the request. Resolves once the outcome is recorded (or could not be).
   */
  start(accountId: string, handoff: Handoff): Promise<void> {
    return new Promise((done) => {
      const deadline = this._options.clock.now() + this._options.timeoutMs;
      this._queue.push({ accountId, handoff, deadline, done });
      this._pump();
    });
  }

  /**
   * Runs queued assessments, at most `maxConcurrent` at once: a hanging
   * provider then costs a bounded number of open requests, not one per
   * escalation. A queued job's timeout counts from when it was queued.
   */
  private _pump(): void {
    while (this._running < (this._options.maxConcurrent ?? 16) && this._queue.length > 0) {
      const job = this._queue.shift()!;
      this._running += 1;
      const run = this._run(job.accountId, job.handoff, job.deadline - this._options.clock.now()).finally(
        () => {
          this._inFlight.delete(run);
          this._running -= 1;
          job.done();
          this._pump();
        },
      );
      this._inFlight.add(run);
    }
  }

  /**
   * Re-runs the assessments left pending by a process that is gone (crash,
   * restart), so none stays pending forever: every one, or only those created
   * before `olderThan` (ms) — with several instances on one database, a
   * younger one may still be running on the instance that created it.
   */
  async resumePending(
    options: { olderThan?: number } = {},
  ): Promise<{ resumed: number; recorded: Promise<void> }> {
    const rows = await pendingAssessments(this._options.database, options.olderThan);
    const runs = rows.map((row) => this.start(row.accountId, toHandoff(row)));
    return { resumed: rows.length, recorded: Promise.all(runs).then(() => undefined) };
  }

  /** Resolves when every running assessment has been recorded (tests, shutdown). */
  async idle(): Promise<void> {
    while (this._inFlight.size > 0 || this._queue.length > 0) await Promise.allSettled([...this._inFlight]);
  }

  private async _run(accountId: string, handoff: Handoff, timeoutMs: number): Promise<void> {
    const { assessor, logger } = this._options;
    const finished = (this._options.metrics ?? noopMetrics).assessmentStarted();
    if (timeoutMs <= 0) {
      finished('timed_out');
      await this._record(accountId, handoff.id, { status: 'timed_out' });
      return;
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve(TIMED_OUT);
      }, timeoutMs);
    });
    let assessment: Assessment;
    try {
      const input = {
        title: handoff.title,
        problemSummary: handoff.problemSummary,
        tried: handoff.tried,
        context: handoff.context,
      };
      const outcome = await Promise.race([assessor.assess(input, controller.signal), deadline]);
      assessment =
        outcome === TIMED_OUT
          ? { status: 'timed_out' }
          : { status: 'ready', ...outcome, completedAt: new Date(this._options.clock.now()).toISOString() };
    } catch (error) {
      assessment = controller.signal.aborted ? { status: 'timed_out' } : { status: 'failed' };
      logger.warn({ handoff: handoff.id, err: (error as Error).message }, 'assessment failed');
    } finally {
      clearTimeout(timer);
    }
    finished(assessment.status);
    await this._record(accountId, handoff.id, assessment);
  }

  private async _record(accountId: string, id: string, assessment: Assessment): Promise<void> {
    try {
      const change = await recordAssessment(
        this._options.database,
        accountId,
        id,
        assessment,
        this._options.clock.now(),
      );
      if (change) this._options.bus.publish(accountId);
    } catch (error) {
      // The database may be closing during shutdown; the next start resumes it.
      this._options.logger.warn(
        { handoff: id, err: (error as Error).message },
        'could not record assessment',
      );
    }
  }
}

/**
 * With assessments switched off, marks those left pending (all, or those
 * created before `olderThan`) as failed, each with its `handoff.assessed`
 * event, so none stays pending forever.
 */
export async function failPendingAssessments(
  database: Database,
  bus: Bus,
  now: number,
  olderThan?: number,
): Promise<number> {
  const rows = await pendingAssessments(database, olderThan);
  for (const row of rows) {
    if (await recordAssessment(database, row.accountId, row.id, { status: 'failed' }, now))
      bus.publish(row.accountId);
  }
  return rows.length;
}

/** The handoffs whose assessment is pending (created before `olderThan` when given). */
function pendingAssessments(database: Database, olderThan: number | undefined) {
  const { handoffs } = database.tables;
  const pending = sql`${database.fragments.jsonText(handoffs.assessment, 'status')} = 'pending'`;
  return database.db
    .select()
    .from(handoffs)
    .where(olderThan === undefined ? pending : and(pending, lt(handoffs.createdAt, olderThan)));
}
