import type { Handoff } from '@resolutionflow/types';
import { initialState, Task, TaskStatus } from '@lit/task';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { flashTitle } from '../shared/title-flash.js';
import { RfElement } from '../shared/rf-element.js';
import { SessionController } from '../shared/session-controller.js';
import { renderLoadError, renderSkeleton } from '../shared/states.js';
import { themeStyles } from '../shared/theme.styles.js';
import { TickController } from '../shared/tick-controller.js';
import { queueStrings, type QueueStrings } from './escalation-queue.strings.js';
import { queueStyles } from './escalation-queue.styles.js';
import { renderCard } from './queue-card.js';
import { QueueController } from './queue-controller.js';
import type { QueueCard } from './queue-model.js';

/**
 * The senior engineer's live queue of open escalations, most urgent first.
 * New escalations slide in, assessments fill in, and a card claimed elsewhere
 * says who took it and leaves.
 *
 * @tag escalation-queue
 * @summary Live queue of open escalations with "Pick up".
 *
 * @event rf-escalation-received - A new escalation arrived live. `detail: { handoff }`
 * @event rf-claim - The user pressed "Pick up". Cancelable: `preventDefault()` stops the claim. `detail: { handoff }`
 * @event rf-claimed - The claim succeeded. `detail: { handoff }`
 * @event rf-connection-change - The live connection's status changed. `detail: { status }`
 * @event rf-error - Loading, claiming or the stream failed. `detail: { error, operation }`
 *
 * @csspart base - The outer frame.
 * @csspart header - Heading row with the connection status.
 * @csspart heading - The heading.
 * @csspart status - The connection indicator; also `status-live`, `status-reconnecting`, `status-offline`.
 * @csspart notify-button - The opt-in for desktop notifications.
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
 * @csspart claim-button - "Pick up".
 * @csspart card-notice - Why a card is leaving.
 * @csspart card-error - Why a claim failed.
 * @csspart skeleton - Loading placeholders.
 * @csspart empty - The empty state.
 * @csspart error - The error state.
 * @csspart retry-button - Retry after an error.
 * @csspart context - The inline `<handoff-context>` after a claim (with `open-context`).
 * @csspart close-button - Closes the inline context.
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
  );
  private readonly _load = new Task(this, {
    task: async ([client], { signal }) => {
      if (!client) return initialState;
      this._queue.loading();
      await this._session.ready();
      return client.listHandoffs({ status: 'open', order: 'priority', limit: 100 }, signal);
    },
    args: () => [this._session.client] as const,
    onComplete: ({ items }) => this._queue.loaded(items),
    onError: (error) => {
      this._queue.failed();
      this._fail(error, 'load');
    },
  });

  @state() private _announcement = '';
  @state() private _context: Handoff | null = null;

  /** Replaces any of the texts shown (see `QueueStrings`). */
  @property({ attribute: false }) strings: Partial<QueueStrings> = {};

  /** After a successful claim, show the handoff's full context below the queue. */
  @property({ type: Boolean, attribute: 'open-context' }) openContext = false;

  /** Do not flash the page title while the tab is hidden. */
  @property({ type: Boolean, attribute: 'no-title-flash' }) noTitleFlash = false;

  /** Offer desktop notifications for arrivals while the tab is hidden (asks permission on click). */
  @property({ type: Boolean }) notify = false;

  /** Milliseconds a card claimed elsewhere stays, saying who took it, before it leaves. */
  @property({ type: Number, attribute: 'leave-delay' }) leaveDelay = 2500;

  private get _strings(): QueueStrings {
    return { ...queueStrings, ...this.strings };
  }

  private _arrived(handoff: Handoff): void {
    const strings = this._strings;
    this._announcement = strings.announce(handoff.title);
    this.emit('rf-escalation-received', { handoff });
    if (!this.noTitleFlash) flashTitle(strings.titleFlash);
    if (this.notify && document.visibilityState === 'hidden' && Notification.permission === 'granted') {
      new Notification(strings.notificationTitle, { body: handoff.title, tag: handoff.id });
    }
  }

  private async _claim({ handoff }: QueueCard): Promise<void> {
    const client = this._session.client;
    if (!client || !this.emit('rf-claim', { handoff }, true)) return;
    try {
      const claimed = await this._queue.claim(handoff.id, () => client.transition(handoff.id, 'claim'));
      this.emit('rf-claimed', { handoff: claimed });
      if (this.openContext) this._context = claimed;
    } catch (error) {
      this._fail(error, 'claim');
    }
  }

  private async _enableNotifications(): Promise<void> {
    await Notification.requestPermission();
    this.requestUpdate();
  }

  private _renderStatus(strings: QueueStrings) {
    const status = this._session.status;
    if (!status) return nothing;
    const label =
      status === 'reconnecting' && this._load.status !== TaskStatus.COMPLETE
        ? strings.connecting
        : strings[status];
    return html`<span part="status status-${status}" class="status ${status}">${label}</span>`;
  }

  private _renderBody(strings: QueueStrings) {
    const cards = this._queue.cards;
    if (cards === null) {
      return this._load.status === TaskStatus.ERROR
        ? renderLoadError(this._load, strings)
        : renderSkeleton(strings.loading, 3);
    }
    if (cards.length === 0) return html`<p part="empty" class="state muted">${strings.empty}</p>`;
    const context = {
      strings,
      locale: this.locale,
      now: Date.now(),
      canClaim: Boolean(this._session.me?.permissions.claim),
      onClaim: (card: QueueCard) => void this._claim(card),
    };
    // A card re-renders only when it, the permissions, the texts or the minute-tick change:
    // one arrival in a long queue touches one card, not all of them.
    const tick = this._ticker.tick;
    return html`<ul part="list" aria-label=${strings.heading}>
      ${repeat(
        this._queue.sorted,
        (card) => card.handoff.id,
        (card) =>
          guard([card, context.canClaim, this.strings, context.locale, tick], () =>
            renderCard(card, context),
          ),
      )}
    </ul>`;
  }

  override render() {
    const strings = this._strings;
    const canNotify = this.notify && 'Notification' in window && Notification.permission === 'default';
    const me = this._session.me;
    return html`<section part="base" aria-labelledby="heading">
      <header part="header">
        <h2 part="heading" id="heading">${strings.heading}</h2>
        ${
          canNotify
            ? html`<button part="notify-button" @click=${this._enableNotifications}>
                ${strings.enableNotifications}
              </button>`
            : nothing
        }
        ${this._renderStatus(strings)}
      </header>
      ${me && !me.permissions.claim ? html`<p part="notice" class="muted">${strings.viewOnly}</p>` : nothing}
      <div class="sr" aria-live="polite">${this._announcement}</div>
      ${this._renderBody(strings)}
      ${
        this._context
          ? html`<handoff-context
                part="context"
                exportparts="base: context-base, title: context-title, section: context-section, start-button: context-start-button"
                handoff-id=${this._context.id}
                .handoff=${this._context}
                .apiBase=${this.apiBase}
                .token=${this.token}
                .getToken=${this.getToken}
                theme=${this.theme}
              ></handoff-context>
              <button part="close-button" @click=${() => (this._context = null)}>
                ${strings.closeContext}
              </button>`
          : nothing
      }
    </section>`;
  }
}
