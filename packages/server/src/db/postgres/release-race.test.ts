// The release race (research/scale-out.md §3): X's release reads the handoff (claimed by X); an
// admin releases it and Y claims it; X's update then lands. A conditional update on the status
// alone still matches ("claimed" — by Y now), so without a lock X releases Y's claim. Transitions
// lock the row first (`SELECT … FOR UPDATE`), so the admin and Y wait for X. Reproduced
// deterministically by holding X's transaction open right after its read.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '../database.js';
import { createAccount } from '../../domain/accounts.js';
import { getHandoff } from '../../domain/handoffs.js';
import { transition } from '../../domain/transitions.js';
import { seedHandoff } from '../../test/harness.js';
import { postgresDatabaseForFile, someoneWaitsForALock } from '../../test/pg-locks.js';
import { TEST_DIALECT } from '../../test/test-database.js';

const databaseOfFile = postgresDatabaseForFile();
let database: Database;
beforeAll(() => {
  if (TEST_DIALECT === 'postgres') database = databaseOfFile();
});

const x = { id: 'x', name: 'X', isAdmin: false };
const y = { id: 'y', name: 'Y', isAdmin: false };
const admin = { id: 'boss', name: 'Boss', isAdmin: true };

/**
 * The database, except that the first write's transaction pauses right after its locking read
 * until `resume` is called; `locking: false` turns that read into a plain one (the negative
 * control: the code as it would be without the lock).
 */
function pausingAfterRead(locking: boolean) {
  let resume!: () => void;
  let readDone!: () => void;
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  const read = new Promise<void>((resolve) => (readDone = resolve));
  let paused = false;
  const wrapped: Database = {
    ...database,
    write: (work) =>
      database.write((tx) => {
        if (paused) return work(tx);
        paused = true;
        const pausing: Tx = {
          ...tx,
          async forUpdate(query, options) {
            const rows = locking ? await tx.forUpdate(query, options) : await query;
            readDone();
            await resumed;
            return rows;
          },
        };
        return work(pausing);
      }),
  };
  return { wrapped, read, resume };
}

/** X releases, paused after its read; meanwhile the admin releases and Y claims. Returns who holds it after. */
async function race(locking: boolean) {
  const account = await createAccount(database, { name: `Race MSP ${locking}` }, 1);
  const handoff = await seedHandoff(database, account.id, { claimedBy: x, now: 1 });
  const { wrapped, read, resume } = pausingAfterRead(locking);
  const release = transition(wrapped, account.id, handoff.id, 'release', x, 2).then(
    () => 'released',
    (error: { code?: string }) => error.code,
  );
  await read;
  const others = (async () => {
    const adminRelease = await transition(database, account.id, handoff.id, 'release', admin, 3).then(
      () => 'released',
      (error: { code?: string }) => error.code,
    );
    const yClaim = await transition(database, account.id, handoff.id, 'claim', y, 4).then(
      () => 'claimed',
      (error: { code?: string }) => error.code,
    );
    return { adminRelease, yClaim };
  })();
  // With the lock the admin waits for X; without it, the admin and Y go first.
  if (locking) await someoneWaitsForALock(database);
  else await others;
  resume();
  const outcome = { x: await release, ...(await others) };
  const after = await getHandoff(database, account.id, handoff.id);
  return { outcome, status: after.status, claimedBy: after.claimedBy?.id ?? null };
}

describe.runIf(TEST_DIALECT === 'postgres')('the release race on PostgreSQL', () => {
  it("should never let X's late release undo Y's claim: the row is locked first", async () => {
    const { outcome, status, claimedBy } = await race(true);
    // X released first (it held the lock); the admin then found it open; Y claimed it.
    expect(outcome).toEqual({ x: 'released', adminRelease: 'invalid_state', yClaim: 'claimed' });
    expect({ status, claimedBy }).toEqual({ status: 'claimed', claimedBy: 'y' });
  });

  it("should lose Y's claim without the lock (negative control)", async () => {
    const { outcome, status, claimedBy } = await race(false);
    expect(outcome).toEqual({ x: 'released', adminRelease: 'released', yClaim: 'claimed' });
    // The bug the lock prevents: Y believes it holds the handoff, and it is back in the queue.
    expect({ status, claimedBy }).toEqual({ status: 'open', claimedBy: null });
  });
});
