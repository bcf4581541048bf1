import type { Handoff, QueueView } from '@resolutionflow/types';
import { PRIORITY_RANK } from '@resolutionflow/types/constants';

/** One card of the queue: the handoff and what the card is doing with it. */
export interface QueueCard {
  handoff: Handoff;
  /** Arrived live: slides in. */
  fresh?: boolean;
  /** An action (pick up, start, release, resolve) is in flight. */
  busy?: boolean;
  /** Leaving the view; the text says why ("Picked up by Sam Rivera"). */
  leaving?: string;
  /** Why the last action failed. */
  error?: string;
}

/**
 * Most urgent first, then longest waiting, then id: the server's
 * `order=priority`, tie-breaker included, so a card can be placed against the
 * last one a page loaded. The server writes every `createdAt` as
 * `toISOString()` (UTC, fixed width), so the strings order like the instants
 * without parsing a date per comparison.
 */
export function byPriorityThenAge(
  { handoff: a }: { handoff: Handoff },
  { handoff: b }: { handoff: Handoff },
) {
  return (
    PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] ||
    (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Whether `handoff` belongs in `view` for the user `me`: `open` lists the
 * unclaimed, `mine` what `me` claimed or started, `active` both and everyone's.
 */
export function inView(handoff: Handoff, view: QueueView, me: string | undefined): boolean {
  const { status } = handoff;
  if (status === 'open') return view !== 'mine';
  return (
    (status === 'claimed' || status === 'started') &&
    (view === 'active' || (view === 'mine' && handoff.claimedBy?.id === me))
  );
}

/** Cards for a freshly loaded first page, keeping what in-flight cards were doing. */
export function fromPage(items: Handoff[], previous: QueueCard[] | null): QueueCard[] {
  const before = new Map(previous?.map((card) => [card.handoff.id, card]));
  return items.map((handoff) => {
    const { busy, error } = before.get(handoff.id) ?? {};
    return { handoff, busy, error };
  });
}

/** Replaces the card for `handoff`, or adds it (as fresh, unless loaded with a page) when it is new. */
export function upsert(cards: QueueCard[], handoff: Handoff, fresh = true): QueueCard[] {
  if (!find(cards, handoff.id)) return [...cards, fresh ? { handoff, fresh } : { handoff }];
  return patch(cards, handoff.id, { handoff, leaving: undefined });
}

/** Changes some fields of one card. */
export function patch(cards: QueueCard[], id: string, changes: Partial<QueueCard>): QueueCard[] {
  return cards.map((card) => (card.handoff.id === id ? { ...card, ...changes } : card));
}

/** Removes one card. */
export function remove(cards: QueueCard[], id: string): QueueCard[] {
  return cards.filter((card) => card.handoff.id !== id);
}

/** The card for `id`, if shown. */
export function find(cards: QueueCard[] | null, id: string): QueueCard | undefined {
  return cards?.find((card) => card.handoff.id === id);
}
