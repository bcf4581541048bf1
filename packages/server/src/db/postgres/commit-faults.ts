import { setTimeout as delay } from 'node:timers/promises';
import { unavailable } from '../../errors.js';

/**
 * Test-only faults at commit time, for the multi-instance tests: each write
 * transaction waits a random 0..`maxDelayMs` after its work (its events
 * numbered, the head row locked) and before COMMIT, and `rollbackRate` of them
 * roll back instead. Never active in production: read only under
 * `NODE_ENV=test`.
 */
export interface CommitFaults {
  maxDelayMs: number;
  rollbackRate: number;
}

/** The faults `RF_TEST_COMMIT_DELAY_MS` and `RF_TEST_ROLLBACK_RATE` ask for, or none. */
export function commitFaultsFromEnv(env: NodeJS.ProcessEnv = process.env): CommitFaults | undefined {
  if (env.NODE_ENV !== 'test') return undefined;
  const maxDelayMs = Number(env.RF_TEST_COMMIT_DELAY_MS ?? 0);
  const rollbackRate = Number(env.RF_TEST_ROLLBACK_RATE ?? 0);
  if (!(maxDelayMs > 0) && !(rollbackRate > 0)) return undefined;
  return { maxDelayMs: maxDelayMs > 0 ? maxDelayMs : 0, rollbackRate: rollbackRate > 0 ? rollbackRate : 0 };
}

/** Waits, then throws (rolling the transaction back) for the chosen share. */
export async function beforeCommit(faults: CommitFaults): Promise<void> {
  if (faults.maxDelayMs > 0) await delay(Math.random() * faults.maxDelayMs);
  if (Math.random() < faults.rollbackRate)
    throw unavailable('Rolled back by a test fault (RF_TEST_ROLLBACK_RATE)');
}
