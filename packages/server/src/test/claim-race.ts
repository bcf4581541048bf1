import type { ErrorResponse, Handoff, UserRef } from '@resolutionflow/types';
import { expect } from 'vitest';

/** What the claim races of a test answered, added up over its handoffs. */
export interface ClaimTotals {
  won: number;
  lost: number;
  other: number;
}

/**
 * Judges one handoff's claim race from its answers (status and body of each
 * claim): exactly one 200, and every 409 `already_claimed` naming that
 * winner. Adds the answers to `totals` and returns the winner.
 */
export function judgeClaimRace(
  id: string,
  statuses: readonly number[],
  bodies: readonly (Handoff | ErrorResponse)[],
  totals: ClaimTotals,
): UserRef {
  const won = bodies.filter((_, i) => statuses[i] === 200) as Handoff[];
  const lost = bodies.filter((_, i) => statuses[i] === 409) as ErrorResponse[];
  totals.won += won.length;
  totals.lost += lost.length;
  totals.other += statuses.length - won.length - lost.length;
  expect(won, id).toHaveLength(1);
  const winner = won[0]!.claimedBy!;
  for (const loser of lost) {
    expect(loser.error).toMatchObject({ code: 'already_claimed', details: { claimedBy: winner } });
  }
  return winner;
}
