import type { Handoff, HandoffEventData, TransitionName } from '@resolutionflow/types';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { duration, relativeTime, secondsBetween } from '../shared/format.js';
import { ERROR, LoadController } from '../shared/load-controller.js';
import { RfElement } from '../shared/rf-element.js';
import { SessionController } from '../shared/session-controller.js';
import { renderLoadError, renderSkeleton } from '../shared/states.js';
import { themeStyles } from '../shared/theme.styles.js';
import { TickController } from '../shared/tick-controller.js';
import { renderAssessment, renderTried, summaryText } from './context-sections.js';
import { contextStrings, type ContextStrings } from './handoff-context.strings.js';
import { contextStyles } from './handoff-context.styles.js';

/** Only web links become links: a stored `javascript:` URL must never be clickable. */
const isWebUrl = (url: string | undefined): url is string => /^https?:\/\//i.test(url ?? '');

/**
 * The handoff as the senior reads it, in four sections: problem summary, what
 * has been tried, the AI assessment (filling in live), and "Start here", whose
 * button records the first action and tells the host to open its session.
 *
 * @tag handoff-context
 * @summary One handoff's full context, with "Start here".
 *
 * @event rf-start - The first action was recorded; open your session view. `detail: { handoff }`
 * @event rf-claim - The user pressed "Pick up" on an open handoff. Cancelable. `detail: { handoff }`
 * @event rf-claimed - The claim succeeded. `detail: { handoff }`
 * @event rf-error - Loading, an action, copying or the stream failed. `detail: { error, operation }`
 *
 * @csspart base - The outer frame.
 * @csspart header - Title, facts and actions.
 * @csspart priority - The priority badge.
 * @csspart title - The handoff's title.
 * @csspart facts - Client, device and other context; `fact`, `fact-label`, `fact-value` each.
 * @csspart meta - Who escalated and when.
 * @csspart ticket-link - Link to the host's ticket (new tab, `rel="noopener"`).
 * @csspart copy-button - Copies the summary.
 * @csspart section - Each of the four sections; also `section-summary`, `section-tried`, `section-assessment`, `section-start`.
 * @csspart section-heading - Each section's heading.
 * @csspart summary - The problem summary text.
 * @csspart steps - The list of tried steps; `step`, `outcome`, `action`, `step-time`, `note` inside.
 * @csspart empty - Says that nothing was tried, in place of the steps.
 * @csspart assessment-pending - The assessment while it runs: a skeleton that fills in live.
 * @csspart assessment-ready - The finished assessment, around the four parts below.
 * @csspart likely-cause - The assessment's likely cause.
 * @csspart confidence - The assessment's confidence.
 * @csspart next-steps - Suggested next steps; `next-step` each.
 * @csspart model - Which model made the assessment.
 * @csspart assessment-unavailable - Why there is no assessment; also `assessment-timed_out`, `assessment-failed`, `assessment-disabled`.
 * @csspart skeleton - Placeholders while loading or assessing.
 * @csspart start - The "Start here" panel.
 * @csspart first-step - The assessment's first suggested step, above the panel's action.
 * @csspart start-button - Records the first action.
 * @csspart claim-button - Picks up an open handoff.
 * @csspart status-text - What the "Start here" panel says.
 * @csspart error - The error state; `retry-button` inside.
 */
export class HandoffContext extends RfElement {
  static override styles = [themeStyles, contextStyles];

  private readonly _session = new SessionController(this, {
    onEvent: (data) => this._onLive(data),
    onResync: () => void this._load.run(),
  });
  private readonly _ticker = new TickController(this);
  private readonly _load = new LoadController(this, {
    task: async ([client, id], { signal }) => {
      if (!client || !id) return undefined;
      await this._session.ready();
      return client.getHandoff(id, signal);
    },
    args: () => [this._session.client, this.handoffId] as const,
    onComplete: (handoff) => (this.handoff = handoff),
    onError: (error) => this._fail(error, 'load'),
  });

  @state() private _busy = false;
  @state() private _message = '';

  /** The id of the handoff to show. */
  @property({ attribute: 'handoff-id' }) handoffId = '';

  /** The handoff, when the page has it already (shown at once, then kept fresh). */
  @property({ attribute: false }) handoff: Handoff | null = null;

  /** Replaces any of the texts shown (see `ContextStrings`). */
  @property({ attribute: false }) strings: Partial<ContextStrings> = {};

  private get _strings(): ContextStrings {
    return { ...contextStrings, ...this.strings };
  }

  private get _shown(): Handoff | null {
    return this.handoff?.id === this.handoffId ? this.handoff : null;
  }

  /** Moves focus to the handoff's heading (a queue does this when it opens the handoff). */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus(options);
  }

  private _onLive({ handoff }: HandoffEventData): void {
    if (handoff.id === this.handoffId) this.handoff = handoff;
  }

  private async _act(name: TransitionName, handoff: Handoff): Promise<void> {
    const client = this._session.client;
    if (!client || (name === 'claim' && !this.emit('rf-claim', { handoff }, true))) return;
    this._busy = true;
    this._message = '';
    try {
      this.handoff = await client.transition(handoff.id, name);
      this.emit(name === 'claim' ? 'rf-claimed' : 'rf-start', { handoff: this.handoff });
    } catch (caught) {
      this._message = this._strings.actionFailed(this._fail(caught, name).message);
    } finally {
      this._busy = false;
    }
  }

  private async _copy(handoff: Handoff): Promise<void> {
    const strings = this._strings;
    try {
      await navigator.clipboard.writeText(summaryText(handoff, strings));
      this._message = strings.copied;
    } catch (caught) {
      this._message = strings.copyFailed;
      this._fail(caught, 'copy');
    }
  }

  private _renderStart(handoff: Handoff, strings: ContextStrings) {
    const me = this._session.me;
    const mine = handoff.claimedBy?.id === me?.user?.id;
    const firstStep = handoff.assessment.status === 'ready' ? handoff.assessment.nextSteps?.[0] : undefined;
    let body;
    if (handoff.startedAt && handoff.claimedAt) {
      const after = duration(secondsBetween(handoff.claimedAt, handoff.startedAt), this.locale);
      body = html`<p part="status-text">${strings.started(after)}</p>`;
    } else if (handoff.status === 'claimed' && mine) {
      body = html`<button
        part="start-button"
        class="primary"
        ?disabled=${this._busy}
        @click=${() => this._act('start', handoff)}
      >
        ${this._busy ? strings.starting : strings.start}
      </button>`;
    } else if (!me && (handoff.status === 'open' || handoff.status === 'claimed')) {
      // Who is asking is not known yet: saying "Sam is on it" to Sam himself would be wrong.
      body = nothing;
    } else if (handoff.status === 'open') {
      body = me?.permissions.claim
        ? html`<button
            part="claim-button"
            class="primary"
            ?disabled=${this._busy}
            @click=${() => this._act('claim', handoff)}
          >
            ${this._busy ? strings.pickingUp : strings.pickUp}
          </button>`
        : html`<p part="status-text">${strings.openHint}</p>`;
    } else {
      const by = handoff.claimedBy;
      body = html`<p part="status-text">
        ${handoff.status === 'claimed' && by ? strings.claimedBy(by.name) : strings.closed}
      </p>`;
    }
    return html`${firstStep ? html`<p part="first-step">${firstStep}</p>` : nothing}${body}`;
  }

  private _renderHandoff(handoff: Handoff, strings: ContextStrings) {
    const { context } = handoff;
    const known: [string, string | undefined][] = [
      [strings.client, context.client],
      [strings.device, context.device],
    ];
    const facts = [...known, ...Object.entries(context.fields ?? {})].filter(([, value]) => value);
    const locale = this.locale;
    const now = Date.now();
    const section = (name: string, heading: string, content: unknown) =>
      html`<section part="section section-${name}" aria-labelledby="h-${name}">
        <h3 part="section-heading" id="h-${name}">${heading}</h3>
        ${content}
      </section>`;
    return html`<article part="base" aria-labelledby="title">
      <header part="header">
        <div class="row">
          <span part="priority" class="badge ${handoff.priority}">${strings.priority[handoff.priority]}</span>
          <button part="copy-button" @click=${() => this._copy(handoff)}>${strings.copy}</button>
        </div>
        <h2 part="title" id="title" tabindex="-1">${handoff.title}</h2>
        <dl part="facts">
          ${facts.map(
            ([label, value]) =>
              html`<div part="fact">
                <dt part="fact-label">${label}</dt>
                <dd part="fact-value">${value}</dd>
              </div>`,
          )}
        </dl>
        <p part="meta" class="muted">
          ${strings.escalated(relativeTime(handoff.createdAt, locale, now), handoff.createdBy.name)}
        </p>
        ${
          isWebUrl(context.ticketUrl)
            ? html`<a part="ticket-link" href=${context.ticketUrl} target="_blank" rel="noopener noreferrer"
                >${strings.ticket}</a
              >`
            : nothing
        }
        <p class="muted" role="status">${this._message}</p>
      </header>
      ${section('summary', strings.summary, html`<p part="summary" class="text">${handoff.problemSummary}</p>`)}
      ${section('tried', strings.tried, renderTried(handoff, strings, locale, now))}
      ${section('assessment', strings.assessment, renderAssessment(handoff.assessment, strings, locale))}
      ${section('start', strings.startHere, html`<div part="start">${this._renderStart(handoff, strings)}</div>`)}
    </article>`;
  }

  override render() {
    const strings = this._strings;
    const handoff = this._shown;
    if (handoff) return this._renderHandoff(handoff, strings);
    return html`<div part="base">
      ${
        this._load.status === ERROR
          ? renderLoadError(this._load, strings, { 404: strings.notFound })
          : renderSkeleton(strings.loading, 4)
      }
    </div>`;
  }
}
