import type { Handoff } from '@resolutionflow/types';
import { PRIORITY_RANK } from '@resolutionflow/types/constants';

/** One card of the queue: the handoff and what the card is doing with it. */
export interface QueueCard {
  handoff: Handoff;
  /** Arrived live: slides in. */
  fresh?: boolean;
  /** A claim request is in flight. */
  claiming?: boolean;
  /** Leaving the queue; the text says why ("Picked up by Sam Rivera"). */
  leaving?: string;
  /** Why the last claim failed. */
  error?: string;
}

/**
 * Most urgent first, then longest waiting: the server's `order=priority`. The
 * server writes every `createdAt` as `toISOString()` (UTC, fixed width), so the
 * strings order like the instants without parsing a date per comparison.
 */
export function byPriorityThenAge(a: QueueCard, b: QueueCard): number {
  const rank = PRIORITY_RANK[b.handoff.priority] - PRIORITY_RANK[a.handoff.priority];
  if (rank !== 0) return rank;
  const x = a.handoff.createdAt;
  const y = b.handoff.createdAt;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Cards for a freshly loaded page, keeping what in-flight cards were doing. */
export function fromPage(items: Handoff[], previous: QueueCard[] | null): QueueCard[] {
  const before = new Map(previous?.map((card) => [card.handoff.id, card]));
  return items.map((handoff) => {
    const { claiming, error } = before.get(handoff.id) ?? {};
    return { handoff, claiming, error };
  });
}

/** Replaces the card for `handoff`, or adds it (as fresh) when it is new. */
export function upsert(cards: QueueCard[], handoff: Handoff): QueueCard[] {
  if (!find(cards, handoff.id)) return [...cards, { handoff, fresh: true }];
  return patch(cards, handoff.id, { handoff });
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
