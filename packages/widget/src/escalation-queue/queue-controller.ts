import type { Handoff, HandoffEventData, HandoffPage, QueueCounts, QueueView } from '@resolutionflow/types';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError } from '../core/api-error.js';
import type { QueueStrings } from './escalation-queue.strings.js';
import {
  byPriorityThenAge,
  find,
  fromPage,
  inView,
  patch,
  remove,
  upsert,
  type QueueCard,
} from './queue-model.js';

/** What the controller needs from its queue element. */
export interface QueueHost extends ReactiveControllerHost {
  /** Milliseconds a leaving card stays, saying why, before it goes. */
  readonly leaveDelay: number;
}

/** How long the counts wait for more events before they are read again. */
const COUNTS_DEBOUNCE_MS = 300;

/**
 * The cards of one view kept current: the pages loaded so far merged with the
 * live events that arrive while they load and after, actions in flight and how
 * they ended, cards that say why they leave before they go, and the counts of
 * every view (read again, debounced, after events). A live arrival is placed
 * only when it sorts within what the pages have reached; past that, the next
 * page brings it. Once the element is out of the document no timer is left
 * running: a leaving card goes at once.
 */
export class QueueController implements ReactiveController {
  /** The cards in the order they arrived; null until the first page is in. */
  cards: QueueCard[] | null = null;
  /** The counts of every view; null until known. */
  counts: QueueCounts | null = null;
  /** Where the next page starts; null when the pages reached the end. */
  cursor: string | null = null;
  /** The view shown and the user `mine` belongs to. */
  view: QueueView = 'open';
  me: string | undefined;

  /** Events that arrived while a page was loading, applied once it is in. */
  private _buffer: HandoffEventData[] | null = null;
  /** The last handoff the pages reached: live arrivals after it wait for the next page. */
  private _edge: QueueCard | null = null;
  private readonly _leaveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private _countsTimer: ReturnType<typeof setTimeout> | undefined;
  private _sorted: QueueCard[] = [];
  private _sortedFrom: QueueCard[] | null = null;

  constructor(
    private readonly _host: QueueHost,
    private readonly _strings: () => QueueStrings,
    private readonly _onArrival: (handoff: Handoff) => void,
    private readonly _readCounts: () => Promise<QueueCounts>,
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
    this._stopLeaving();
    clearTimeout(this._countsTimer);
    if (this.cards) this._set(this.cards.filter((card) => !card.leaving));
  }

  /** Shows `view` from now on: nothing is loaded of it until its first page is in. */
  show(view: QueueView): void {
    this.view = view;
    this._stopLeaving();
    this.cursor = null;
    this.cards = null;
  }

  /** A page starts loading: live events wait for it. */
  loading(): void {
    this._buffer = [];
  }

  /**
   * A page is in: the first replaces the cards (actions in flight stay), a next
   * one joins them; then the waiting events apply.
   */
  loaded({ items, nextCursor, counts }: HandoffPage, first: boolean): void {
    let cards = first ? fromPage(items, this.cards) : (this.cards ?? []);
    if (!first) for (const handoff of items) cards = upsert(cards, handoff, false);
    this.cursor = nextCursor;
    // The server names a next page only after a page with items, and `_edge` is read only then.
    this._edge = { handoff: items.at(-1)! };
    if (counts) this.counts = counts;
    this._set(cards);
    const buffered = this._buffer ?? [];
    this._buffer = null;
    for (const data of buffered) this.live(data);
  }

  /** The page failed: live events apply to what is shown. */
  failed(): void {
    this._buffer = null;
  }

  /**
   * A live event: a handoff of this view is updated in place, or added when
   * the pages have reached its place; one that left the view says why, then goes.
   */
  live(data: HandoffEventData): void {
    if (this._buffer) {
      this._buffer.push(data);
      return;
    }
    this._countsLater();
    const cards = this.cards ?? [];
    const { handoff } = data;
    const card = find(cards, handoff.id);
    if (data.type === 'handoff.created' && !card) this._onArrival(handoff);
    if (inView(handoff, this.view, this.me)) {
      if (card || !this.cursor || byPriorityThenAge({ handoff }, this._edge!) < 0) {
        this._stay(handoff.id);
        this._set(upsert(cards, handoff));
      }
    } else if (card && !card.leaving && !card.busy) {
      this._leave(handoff, this._why(handoff));
    }
  }

  /**
   * Makes the change `request` stands for on card `id`: the card shows
   * progress, then shows the handoff as it is now or, when it left the view,
   * says why and goes. A 409 on a pick-up names who was first. Resolves to the
   * changed handoff; rejects with the ApiError, which the card shows.
   */
  async act(id: string, request: () => Promise<Handoff>, done: string): Promise<Handoff> {
    this._patch(id, { busy: true, error: undefined });
    try {
      const changed = await request();
      if (inView(changed, this.view, this.me)) this._patch(id, { handoff: changed, busy: false });
      else this._leave(changed, done);
      return changed;
    } catch (caught) {
      const error = ApiError.from(caught);
      const winner = (error.details as { claimedBy?: { name: string } } | undefined)?.claimedBy;
      const card = find(this.cards, id);
      if (error.code === 'already_claimed' && winner && card && this.view === 'open') {
        this._leave(card.handoff, this._strings().alreadyPickedUpBy(winner.name));
      } else {
        this._patch(id, { busy: false, error: this._strings().actionFailed(error.message) });
      }
      throw error;
    }
  }

  /** Reads the counts again soon: several events in a burst cost one read. */
  private _countsLater(): void {
    clearTimeout(this._countsTimer);
    this._countsTimer = setTimeout(() => {
      this._readCounts().then(
        (counts) => {
          this.counts = counts;
          this._host.requestUpdate();
        },
        () => undefined, // The next event (or reload) reads them again; the last ones stay shown.
      );
    }, COUNTS_DEBOUNCE_MS);
  }

  private _why({ status, claimedBy }: Handoff): string {
    const strings = this._strings();
    return status === 'open'
      ? strings.released
      : claimedBy && status === 'claimed'
        ? strings.pickedUpBy(claimedBy.name)
        : strings.closed;
  }

  private _leave(handoff: Handoff, why: string): void {
    const { id } = handoff;
    this._stay(id);
    this._patch(id, { handoff, leaving: why, busy: false });
    const timer = setTimeout(() => {
      this._leaveTimers.delete(id);
      this._set(remove(this.cards ?? [], id));
    }, this._host.leaveDelay);
    this._leaveTimers.set(id, timer);
  }

  private _stopLeaving(): void {
    this._leaveTimers.forEach(clearTimeout);
    this._leaveTimers.clear();
  }

  /** A card that was leaving is back in the view: it stays. */
  private _stay(id: string): void {
    clearTimeout(this._leaveTimers.get(id));
    this._leaveTimers.delete(id);
  }

  private _patch(id: string, changes: Partial<QueueCard>): void {
    this._set(patch(this.cards ?? [], id, changes));
  }

  private _set(cards: QueueCard[]): void {
    this.cards = cards;
    this._host.requestUpdate();
  }
}
