import type { HandoffStatus, QueueCounts, QueueView } from '@resolutionflow/types';
import { and, count, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { QueueCache } from './queue-cache.js';

/** The statuses each view lists; `mine` also narrows to the caller's claims. */
export const VIEW_STATUSES: Readonly<Record<QueueView, HandoffStatus[]>> = {
  open: ['open'],
  mine: ['claimed', 'started'],
  active: ['open', 'claimed', 'started'],
};

/**
 * The account's handoffs that are not closed, counted by status and claimer:
 * one grouped read (off the `handoffs_queue` index's leading columns) from
 * which every caller's counts follow, so one cached copy serves every senior.
 */
interface Breakdown {
  open: number;
  active: number;
  /** Claimed or started handoffs per claimer id, as entries (ids are the host's, any string). */
  held: [string, number][];
}

async function readBreakdown(database: Database, accountId: string): Promise<Breakdown> {
  const { handoffs } = database.tables;
  const rows = await database.reads
    .select({ status: handoffs.status, claimedById: handoffs.claimedById, n: count() })
    .from(handoffs)
    .where(and(eq(handoffs.accountId, accountId), inArray(handoffs.status, VIEW_STATUSES.active)))
    .groupBy(handoffs.status, handoffs.claimedById);
  const breakdown: Breakdown = { open: 0, active: 0, held: [] };
  const held = new Map<string, number>();
  for (const { status, claimedById, n } of rows) {
    const total = Number(n);
    breakdown.active += total;
    if (status === 'open') breakdown.open += total;
    else if (claimedById !== null) held.set(claimedById, (held.get(claimedById) ?? 0) + total);
  }
  breakdown.held = [...held];
  return breakdown;
}

/** The cache key of the breakdown: not a JSON query string, so it cannot meet a page's key. */
const BREAKDOWN_KEY = 'counts';

/**
 * How many handoffs each view holds for `userId` (null: an API key acting as
 * nobody, whose `mine` is empty). Cached with the account's queue pages and
 * dropped with them on the account's next event, so counts are as fresh as pages.
 */
export async function queueCounts(
  database: Database,
  cache: QueueCache,
  accountId: string,
  userId: string | null,
): Promise<QueueCounts> {
  const cached = await cache.read(accountId, BREAKDOWN_KEY, async () =>
    JSON.stringify(await readBreakdown(database, accountId)),
  );
  const breakdown = JSON.parse(cached) as Breakdown;
  const mine = userId === null ? 0 : (breakdown.held.find(([id]) => id === userId)?.[1] ?? 0);
  return { open: breakdown.open, mine, active: breakdown.active };
}
