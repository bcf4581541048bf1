import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { LastEventId } from './event-id.js';

/** Where a reader of the account's events starts. */
export interface ResumePoint {
  /** The numbering its ids are in. */
  epoch: number;
  /** The sequence number it continues after. */
  cursor: number;
  /**
   * Set when it asked to resume from a point that cannot be resumed from, and
   * starts at the tail instead: the events after it were pruned, the id is from
   * another numbering (another epoch, or the old bare form), or it was never
   * one of this account's.
   */
  lost?: 'pruned' | 'epoch' | 'unknown';
}

/**
 * Where a reader resumes after `lastEventId` (the account's tail when null).
 * Resuming across pruned events, from another numbering, or from past the
 * newest event (another server's, or a database that was reset) would silently
 * skip events, so those start at the tail with `lost` saying why. One read of
 * the account's head row.
 */
export async function resumePoint(
  database: Database,
  accountId: string,
  lastEventId: LastEventId | null,
): Promise<ResumePoint> {
  const { accountStreams } = database.tables;
  const [found] = await database.db
    .select({
      epoch: accountStreams.epoch,
      lastSeq: accountStreams.lastSeq,
      prunedThrough: accountStreams.prunedThrough,
    })
    .from(accountStreams)
    .where(eq(accountStreams.accountId, accountId));
  const head = found ?? { epoch: 1, lastSeq: 0, prunedThrough: 0 };
  const tail = { epoch: head.epoch, cursor: head.lastSeq };
  if (lastEventId === null) return tail;
  if (lastEventId === 'legacy' || lastEventId.epoch !== head.epoch) return { ...tail, lost: 'epoch' };
  if (lastEventId.seq < head.prunedThrough) return { ...tail, lost: 'pruned' };
  if (lastEventId.seq > head.lastSeq) return { ...tail, lost: 'unknown' };
  return { epoch: head.epoch, cursor: lastEventId.seq };
}
