import type { Logger } from 'pino';
import type { Bus } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { failPendingAssessments, type AssessmentRunner } from './assessment-runner.js';

/**
 * Past its timeout plus this, a pending assessment can no longer be running
 * anywhere (each records an outcome within its timeout of being started): the
 * process that started it is gone.
 */
const GRACE_MS = 30_000;

/** How often instances on one PostgreSQL look for assessments a lost instance left pending. */
const SWEEP_MS = 60_000;

/**
 * Assessments left pending by a process that died: resumed (or, with AI off,
 * marked failed) so none stays pending forever, and each run once.
 *
 * On SQLite the server is the only process, so everything pending at start is
 * its own past. On PostgreSQL another instance may be running a young one right
 * now: at start and every minute, under an advisory lock held until the resumed
 * runs are recorded (so two instances never resume the same one), only those
 * older than the timeout plus a grace period are taken.
 */
export class PendingAssessments {
  private _timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly _options: {
      database: Database;
      bus: Bus;
      clock: Clock;
      logger: Logger;
      runner: AssessmentRunner | undefined;
      timeoutMs: number;
    },
  ) {}

  /**
   * On SQLite, resumes everything pending (resolving once they are queued); on
   * PostgreSQL, starts the sweeps (the first one now, in the background).
   */
  async start(): Promise<void> {
    if (this._options.database.dialect !== 'postgres') return this._sweep();
    void this._sweep();
    this._timer = setInterval(() => void this._sweep(), SWEEP_MS);
    this._timer.unref();
  }

  stop(): void {
    clearInterval(this._timer);
  }

  private async _sweep(): Promise<void> {
    const { database, bus, clock, logger, runner, timeoutMs } = this._options;
    const olderThan = database.dialect === 'postgres' ? clock.now() - timeoutMs - GRACE_MS : undefined;
    try {
      await database.exclusively('pending-assessments', async () => {
        if (!runner) {
          await failPendingAssessments(database, bus, clock.now(), olderThan);
          return;
        }
        const { resumed, recorded } = await runner.resumePending({ olderThan });
        if (resumed > 0) logger.info({ resumed }, 'resumed pending assessments');
        // Hold the lock until they are recorded: meanwhile they are still pending.
        if (olderThan !== undefined) await recorded;
      });
    } catch (error) {
      // The database is away for now; the next sweep tries again.
      logger.warn({ err: (error as Error).message }, 'could not look for pending assessments');
    }
  }
}
