import type { Handoff, HandoffEventData } from '@resolutionflow/types';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError } from '../core/api-error.js';
import type { QueueStrings } from './escalation-queue.strings.js';
import { byPriorityThenAge, find, fromPage, patch, remove, upsert, type QueueCard } from './queue-model.js';

/** What the controller needs from its queue element. */
export interface QueueHost extends ReactiveControllerHost {
  /** Milliseconds a leaving card stays, saying why, before it goes. */
  readonly leaveDelay: number;
}

/**
 * The queue's cards kept current: a loaded page merged with the live events
 * that arrive while it loads and after, claims in flight and how they ended,
 * and cards that say why they leave before they go. Once the element is out of
 * the document no timer is left running: a leaving card goes at once.
 */
export class QueueController implements ReactiveController {
  /** The cards in the order they arrived; null until the first page is in. */
  cards: QueueCard[] | null = null;

  /** Events that arrived while a page was loading, applied once it is in. */
  private _buffer: HandoffEventData[] | null = null;
  private readonly _leaveTimers = new Set<ReturnType<typeof setTimeout>>();
  private _sorted: QueueCard[] = [];
  private _sortedFrom: QueueCard[] | null = null;

  constructor(
    private readonly _host: QueueHost,
    private readonly _strings: () => QueueStrings,
    private readonly _onArrival: (handoff: Handoff) => void,
  ) {
    _host.addController(this);
  }

  /** The cards in queue order, sorted again only after they changed. */
  get sorted(): QueueCard[] {
    if (this._sortedFrom !== this.cards) {
      this._sortedFrom = this.cards;
      this._sorted = [...(this.cards ?? [])].sort(byPriorityThenAge);
    }
    return this._sorted;
  }

  hostDisconnected(): void {
    // Nothing outlives the element's time in the document: a card that was leaving has left.
    this._leaveTimers.forEach(clearTimeout);
    this._leaveTimers.clear();
    if (this.cards) this._set(this.cards.filter((card) => !card.leaving));
  }

  /** A page starts loading: live events wait for it. */
  loading(): void {
    this._buffer = [];
  }

  /** The page is in: it replaces the cards (claims in flight stay), then the waiting events apply. */
  loaded(items: Handoff[]): void {
    this._set(fromPage(items, this.cards));
    const buffered = this._buffer ?? [];
    this._buffer = null;
    for (const data of buffered) this.live(data);
  }

  /** The page failed: live events apply to what is shown. */
  failed(): void {
    this._buffer = null;
  }

  /** A live event: an open handoff is added or updated; one no longer open says who took it, then leaves. */
  live(data: HandoffEventData): void {
    if (this._buffer) {
      this._buffer.push(data);
      return;
    }
    const cards = this.cards ?? [];
    const { handoff } = data;
    const card = find(cards, handoff.id);
    if (handoff.status === 'open') {
      this._set(upsert(cards, handoff));
      if (data.type === 'handoff.created' && !card) this._onArrival(handoff);
    } else if (card && !card.leaving && !card.claiming) {
      const by = handoff.claimedBy;
      this._leave(handoff.id, by ? this._strings().pickedUpBy(by.name) : this._strings().closed);
    }
  }

  /**
   * Claims with `request`: the card shows progress, then leaves (claimed, or
   * someone was first) or says why the claim failed. Resolves to the claimed
   * handoff; rejects with the ApiError.
   */
  async claim(id: string, request: () => Promise<Handoff>): Promise<Handoff> {
    this._patch(id, { claiming: true, error: undefined });
    try {
      const claimed = await request();
      this._leave(id, this._strings().youPickedUp);
      return claimed;
    } catch (caught) {
      const error = ApiError.from(caught);
      const winner = (error.details as { claimedBy?: { name: string } } | undefined)?.claimedBy;
      if (error.code === 'already_claimed' && winner) {
        this._leave(id, this._strings().alreadyPickedUpBy(winner.name));
      } else {
        this._patch(id, { claiming: false, error: this._strings().claimFailed(error.message) });
      }
      throw error;
    }
  }

  private _leave(id: string, why: string): void {
    this._patch(id, { leaving: why, claiming: false });
    const timer = setTimeout(() => {
      this._leaveTimers.delete(timer);
      this._set(remove(this.cards ?? [], id));
    }, this._host.leaveDelay);
    this._leaveTimers.add(timer);
  }

  private _patch(id: string, changes: Partial<QueueCard>): void {
    this._set(patch(this.cards ?? [], id, changes));
  }

  private _set(cards: QueueCard[]): void {
    this.cards = cards;
    this._host.requestUpdate();
  }
}
