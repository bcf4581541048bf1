import type { Handoff, QueueView } from '@resolutionflow/types';
import { QUEUE_VIEWS } from '@resolutionflow/types/constants';
import { html, noChange, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { flashTitle } from '../shared/title-flash.js';
import { COMPLETE, ERROR, LoadController } from '../shared/load-controller.js';
import { RfElement } from '../shared/rf-element.js';
import { SessionController } from '../shared/session-controller.js';
import { renderLoadError, renderSkeleton } from '../shared/states.js';
import { themeStyles } from '../shared/theme.styles.js';
import { TickController } from '../shared/tick-controller.js';
import { queueStrings, type QueueStrings } from './escalation-queue.strings.js';
import { queueStyles } from './escalation-queue.styles.js';
import { renderCard, type CardAction } from './queue-card.js';
import { QueueController } from './queue-controller.js';
import type { QueueCard } from './queue-model.js';

/** Handoffs per page: a first page paints fast; "Show more" reaches the rest. */
const PAGE = 50;

/**
 * The senior engineer's live queue, most urgent first, in three views with live
 * counts: Open (unclaimed), Mine (what the user picked up, with Start, Release
 * and Resolve) and Active (everything not closed, with who holds each). Every
 * item is reachable ("Show more"); new escalations slide in, assessments fill
 * in, and a card that leaves the view says why first. With `open-context`, a
 * pick-up opens the handoff as the element's focus, one step from the list.
 *
 * @tag escalation-queue
 * @summary Live queue in three views (Open, Mine, Active) with live counts, "Pick up" and the handoff in focus.
 *
 * @event rf-escalation-received - A new escalation arrived live. `detail: { handoff }`
 * @event rf-claim - The user pressed "Pick up". Cancelable: `preventDefault()` stops the claim. `detail: { handoff }`
 * @event rf-claimed - The claim succeeded. `detail: { handoff }`
 * @event rf-connection-change - The live connection's status changed. `detail: { status }`
 * @event rf-error - Loading, an action (claim, start, release, resolve) or the stream failed. `detail: { error, operation }`
 *
 * @csspart base - The outer frame.
 * @csspart header - Heading row with the connection status.
 * @csspart tabs - The view switcher; `tab` each, `tab-selected` for the view shown, `count` inside.
 * @csspart heading - The heading.
 * @csspart status - The connection indicator; also `status-live`, `status-reconnecting`, `status-offline`.
 * @csspart notice - The view-only note for roles that cannot pick up.
 * @csspart list - The list of cards.
 * @csspart card - One escalation; also `card-leaving` while it leaves, `card-overdue` once the account's escalation policy found it still waiting.
 * @csspart card-header - Priority and client row.
 * @csspart priority - The priority badge.
 * @csspart overdue - The "Overdue" badge of a card the escalation policy found still waiting.
 * @csspart client - The client's name.
 * @csspart title - The escalation's title.
 * @csspart meta - Who escalated and how long ago.
 * @csspart assessment - The AI assessment's state.
 * @csspart state - "Picked up" or "Started" on a held card.
 * @csspart holder - Who holds a card and how long it waited for them.
 * @csspart actions - A card's buttons: `claim-button` ("Pick up"), `start-button`, `release-button`, `resolve-button`, `open-button`.
 * @csspart claim-button - "Pick up".
 * @csspart card-notice - Why a card is leaving.
 * @csspart card-error - Why an action failed.
 * @csspart more-button - Loads the next page of the view.
 * @csspart skeleton - Loading placeholders.
 * @csspart empty - The empty state.
 * @csspart error - The error state.
 * @csspart retry-button - Retry after an error.
 * @csspart context - The `<handoff-context>` in focus after a pick-up or "Open" (with `open-context`).
 * @csspart back-button - Back from the handoff to the list, where it was.
 */
export class EscalationQueue extends RfElement {
  static override styles = [themeStyles, queueStyles];

  private readonly _session = new SessionController(
    this,
    { onEvent: (data) => this._queue.live(data), onResync: () => void this._load.run() },
    true,
  );
  private readonly _ticker = new TickController(this);
  private readonly _queue = new QueueController(
    this,
    () => this._strings,
    (handoff) => this._arrived(handoff),
    () => this._session.client!.counts(),
  );
  private readonly _load = new LoadController(this, {
    task: async ([client, view], { signal }) => {
      if (!client) return undefined;
      if (view !== this._queue.view) this._queue.show(view);
      this._queue.loading();
      await this._session.ready();
      this._queue.me = this._session.me?.user?.id;
      return client.listHandoffs({ view, limit: PAGE }, signal);
    },
    args: () => [this._session.client, this.view ?? this._tab] as const,
    onComplete: (page) => this._queue.loaded(page, true),
    onError: (error) => {
      this._queue.failed();
      this._fail(error, 'load');
    },
  });

  /** The cards rendered since anything they all show changed (see `_renderBody`). */
  private _rendered = new WeakSet<QueueCard>();
  private _renderedWith: unknown[] = [];

  @state() private _announcement = '';
  @state() private _tab: QueueView = 'open';
  @state() private _more = false;
  /** The handoff in focus, and the card to come back to. */
  @state() private _focus: { handoff: Handoff; index: number } | null = null;

  /** One fixed view (`open`, `mine` or `active`) with no switcher; unset, the user switches. */
  @property() view?: QueueView;

  /** Replaces any of the texts shown (see `QueueStrings`). */
  @property({ attribute: false }) strings: Partial<QueueStrings> = {};

  /** After a pick-up (and on "Open"), show the handoff as the element's focus, with a way back. */
  @property({ type: Boolean, attribute: 'open-context' }) openContext = false;

  /** Do not flash the page title while the tab is hidden. */
  @property({ type: Boolean, attribute: 'no-title-flash' }) noTitleFlash = false;

  /** Milliseconds a card that left the view (claimed elsewhere, resolved) stays, saying why, before it goes. */
  @property({ type: Number, attribute: 'leave-delay' }) leaveDelay = 2500;

  private get _strings(): QueueStrings {
    return { ...queueStrings, ...this.strings };
  }

  private _arrived(handoff: Handoff): void {
    const strings = this._strings;
    this._announcement = strings.announce(handoff.title);
    this.emit('rf-escalation-received', { handoff });
    if (!this.noTitleFlash) flashTitle(strings.titleFlash);
  }

  private async _act({ handoff }: QueueCard, name: CardAction): Promise<void> {
    const client = this._session.client;
    if (!client || (name === 'claim' && !this.emit('rf-claim', { handoff }, true))) return;
    const strings = this._strings;
    const done =
      name === 'claim' ? strings.youPickedUp : name === 'release' ? strings.released : strings.resolved;
    try {
      const changed = await this._queue.act(handoff.id, () => client.transition(handoff.id, name), done);
      if (name !== 'claim') return;
      this.emit('rf-claimed', { handoff: changed });
      this._open(changed);
    } catch (error) {
      this._fail(error, name);
    }
  }

  /** Puts `handoff` in focus (with `open-context`): the four sections first, its heading focused. */
  private async _open(handoff: Handoff): Promise<void> {
    if (!this.openContext) return;
    this._focus = { handoff, index: this._queue.sorted.findIndex((card) => card.handoff.id === handoff.id) };
    await this.updateComplete;
    const context = this.renderRoot.querySelector('handoff-context');
    await context?.updateComplete;
    context?.focus();
  }

  /** Back to the list, at the card the handoff was opened from (or the one now in its place). */
  private async _back(): Promise<void> {
    const index = this._focus?.index ?? 0;
    this._focus = null;
    await this.updateComplete;
    const cards = this.renderRoot.querySelectorAll<HTMLElement>('[part~="card"]');
    // Focusing the card scrolls the list to it, if it is not in view.
    cards[Math.min(index, cards.length - 1)]?.focus();
  }

  private async _loadMore(): Promise<void> {
    const client = this._session.client;
    const { cursor, view } = this._queue;
    if (!client || !cursor || this._more) return;
    this._more = true;
    this._queue.loading();
    try {
      const page = await client.listHandoffs({ view, limit: PAGE, cursor });
      if (view === this._queue.view) this._queue.loaded(page, false);
    } catch (error) {
      // Not if the tab changed meanwhile: the new view's first page may be loading.
      if (view === this._queue.view) this._queue.failed();
      this._fail(error, 'load');
    } finally {
      this._more = false;
    }
  }

  /** The arrow keys move between the tabs (and show the view), as a tab list does. */
  private _onTabKey(event: KeyboardEvent): void {
    const step = { ArrowRight: 1, ArrowLeft: 2 }[event.key];
    if (!step) return;
    event.preventDefault();
    this._tab = QUEUE_VIEWS[(QUEUE_VIEWS.indexOf(this._tab) + step) % 3]!;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('[aria-selected="true"]')?.focus(),
    );
  }

  private _renderTabs(strings: QueueStrings) {
    const counts = this._queue.counts;
    return html`<div
      part="tabs"
      class="row tabs"
      role="tablist"
      aria-label=${strings.viewsLabel}
      @keydown=${this._onTabKey}
    >
      ${QUEUE_VIEWS.map((view) => {
        const selected = view === this._tab;
        return html`<button
          part="tab${selected ? ' tab-selected' : ''}"
          role="tab"
          id="tab-${view}"
          aria-selected=${selected}
          aria-controls="panel"
          tabindex=${selected ? 0 : -1}
          @click=${() => (this._tab = view)}
        >
          ${strings.views[view]}
          ${counts ? html`<span part="count" class="badge">${counts[view]}</span>` : nothing}
        </button>`;
      })}
    </div>`;
  }

  private _renderStatus(strings: QueueStrings) {
    const status = this._session.status;
    if (!status) return nothing;
    const label =
      status === 'reconnecting' && this._load.status !== COMPLETE ? strings.connecting : strings[status];
    return html`<span part="status status-${status}" class="status ${status}">${label}</span>`;
  }

  private _renderBody(strings: QueueStrings) {
    const cards = this._queue.cards;
    if (cards === null) {
      return this._load.status === ERROR
        ? renderLoadError(this._load, strings)
        : renderSkeleton(strings.loading, 3);
    }
    const view = this._queue.view;
    if (cards.length === 0 && !this._queue.cursor) {
      const empty =
        view === 'open' ? strings.empty : view === 'mine' ? strings.emptyMine : strings.emptyActive;
      return html`<p part="empty" class="state muted">${empty}</p>`;
    }
    const context = {
      strings,
      locale: this.locale,
      now: Date.now(),
      me: this._session.me,
      canOpen: this.openContext,
      onAct: (card: QueueCard, name: CardAction) => void this._act(card, name),
      onOpen: (card: QueueCard) => void this._open(card.handoff),
    };
    // A card renders again only when it, the caller, the texts or the minute-tick changed: for
    // the others the list keeps what it has (`noChange`, as `guard` answers), so one arrival in a
    // long queue renders one card. A new card object is a changed card.
    const key = [context.me, this.strings, context.locale, this._ticker.tick, this.openContext];
    if (key.some((part, index) => part !== this._renderedWith[index])) {
      this._renderedWith = key;
      this._rendered = new WeakSet();
    }
    const rendered = this._rendered;
    return html`<ul part="list" aria-label=${strings.heading}>
        ${repeat(
          this._queue.sorted,
          (card) => card.handoff.id,
          (card) => (rendered.has(card) ? noChange : (rendered.add(card), renderCard(card, context))),
        )}
      </ul>
      ${
        this._queue.cursor
          ? html`<button part="more-button" class="more" ?disabled=${this._more} @click=${this._loadMore}>
              ${strings.more}
            </button>`
          : nothing
      }`;
  }

  override render() {
    const strings = this._strings;
    const me = this._session.me;
    const focus = this._focus;
    return html`<section part="base" aria-labelledby="heading">
      <header part="header">
        <h2 part="heading" id="heading">${strings.heading}</h2>
        ${this._renderStatus(strings)}
      </header>
      ${me && !me.permissions.claim ? html`<p part="notice" class="muted">${strings.viewOnly}</p>` : nothing}
      <div class="sr" aria-live="polite">${this._announcement}</div>
      ${
        focus
          ? html`<button part="back-button" @click=${this._back}>${strings.back}</button>
              <handoff-context
                part="context"
                exportparts="base: context-base, title: context-title, section: context-section, start-button: context-start-button"
                handoff-id=${focus.handoff.id}
                .handoff=${focus.handoff}
                .apiBase=${this.apiBase}
                .token=${this.token}
                .getToken=${this.getToken}
                theme=${this.theme}
              ></handoff-context>`
          : nothing
      }
      <div ?hidden=${Boolean(focus)}>
        ${this.view ? nothing : this._renderTabs(strings)}
        <div
          id="panel"
          role=${this.view ? nothing : 'tabpanel'}
          aria-labelledby=${this.view ? nothing : `tab-${this._tab}`}
        >
          ${this._renderBody(strings)}
        </div>
      </div>
    </section>`;
  }
}
