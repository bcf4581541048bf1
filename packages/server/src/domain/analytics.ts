import {
  ANALYTICS_PERIOD_DAYS,
  type AnalyticsPeriod,
  type EscalationAnalytics,
  type TrendDay,
} from '@resolutionflow/types';
import { and, eq, gte, lte } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { getSettings } from './accounts.js';

const DAY = 24 * 60 * 60 * 1000;

/** The median of sorted values (mean of the middle two for an even count). */
export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const seconds = (ms: number) => round1(ms / 1000);

/**
 * The owner's figures for escalations created in the period (whole UTC days,
 * today included). Two metrics are kept apart: time to claim, and the
 * in-product time from claim to first action. `minutesRecovered` is the
 * admin's manual baseline minus the latter, and `hoursSavedPerWeek` that times
 * the period's escalations per week ÷ 60; both exist only with a baseline.
 */
export async function escalationAnalytics(
  database: Database,
  accountId: string,
  period: AnalyticsPeriod,
  now: number,
): Promise<EscalationAnalytics> {
  const { handoffs } = database.tables;
  const days = ANALYTICS_PERIOD_DAYS[period];
  const todayStart = Math.floor(now / DAY) * DAY;
  const from = todayStart - (days - 1) * DAY;
  const rows = await database.db
    .select({ createdAt: handoffs.createdAt, claimedAt: handoffs.claimedAt, startedAt: handoffs.startedAt })
    .from(handoffs)
    .where(
      and(
        eq(handoffs.accountId, accountId),
        eq(handoffs.intent, 'escalate'),
        gte(handoffs.createdAt, from),
        lte(handoffs.createdAt, now),
      ),
    );

  const trend: TrendDay[] = Array.from({ length: days }, (_, index) => ({
    date: new Date(from + index * DAY).toISOString().slice(0, 10),
    created: 0,
    claimed: 0,
  }));
  const toClaim: number[] = [];
  const toFirstAction: number[] = [];
  for (const row of rows) {
    const day = trend[Math.floor((row.createdAt - from) / DAY)];
    if (day) day.created += 1;
    if (row.claimedAt === null) continue;
    if (day) day.claimed += 1;
    toClaim.push(row.claimedAt - row.createdAt);
    if (row.startedAt !== null) toFirstAction.push(row.startedAt - row.claimedAt);
  }
  toClaim.sort((x, y) => x - y);
  toFirstAction.sort((x, y) => x - y);

  const medianClaim = median(toClaim);
  const p90Claim = percentile(toClaim, 90);
  const medianFirstAction = median(toFirstAction);
  const baseline = (await getSettings(database, accountId)).manualBaselineMinutes;
  const recovered =
    baseline === null || medianFirstAction === null ? null : baseline - medianFirstAction / 60_000;
  const perWeek = (rows.length / days) * 7;
  return {
    period,
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    created: rows.length,
    claimed: toClaim.length,
    conversion: rows.length === 0 ? null : Math.round((toClaim.length / rows.length) * 1000) / 1000,
    timeToClaim: {
      medianSeconds: medianClaim === null ? null : seconds(medianClaim),
      p90Seconds: p90Claim === null ? null : seconds(p90Claim),
    },
    timeToFirstAction: { medianSeconds: medianFirstAction === null ? null : seconds(medianFirstAction) },
    baselineMinutes: baseline,
    minutesRecovered: recovered === null ? null : round1(recovered),
    // The pilots' headline figure: minutes recovered per escalation at this period's weekly rate.
    hoursSavedPerWeek: recovered === null ? null : round1((recovered * perWeek) / 60),
    trend,
  };
}
