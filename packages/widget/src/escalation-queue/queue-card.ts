import type { Handoff, MeResponse, TransitionName } from '@resolutionflow/types';
import { html, nothing } from 'lit';
import { duration, relativeTime, secondsBetween } from '../shared/format.js';
import type { QueueCard } from './queue-model.js';
import type { QueueStrings } from './escalation-queue.strings.js';

/** The changes a card offers (cancelling is the creator's, from the host portal). */
export type CardAction = Exclude<TransitionName, 'cancel'>;

/** What a card needs from its queue. */
export interface CardContext {
  strings: QueueStrings;
  locale: string;
  now: number;
  me: MeResponse | null;
  /** Whether "Open" shows the handoff (the queue opens handoffs itself). */
  canOpen: boolean;
  onAct: (card: QueueCard, name: CardAction) => void;
  onOpen: (card: QueueCard) => void;
}

/**
 * The changes `me` may make to `handoff`, by the API's rules: engineers and
 * admins pick up what is open; the claimer starts; the claimer or an admin
 * releases (before the start) and resolves.
 */
export function actionsFor({ status, claimedBy }: Handoff, me: MeResponse | null): CardAction[] {
  const user = me?.user;
  if (!user || !me.permissions.claim) return [];
  if (status === 'open') return ['claim'];
  const mine = claimedBy?.id === user.id;
  const may = mine || user.role === 'admin';
  const actions: CardAction[] = [];
  if (status === 'claimed' && mine) actions.push('start');
  if (status === 'claimed' && may) actions.push('release');
  // Only cards of a view get here: open, claimed or started.
  if (may) actions.push('resolve');
  return actions;
}

/** One escalation in the queue: everything a senior needs to decide, and what they may do with it. */
export function renderCard(card: QueueCard, context: CardContext) {
  const { strings, locale, now, me } = context;
  const { handoff, leaving, busy, error } = card;
  const { claimedBy, claimedAt, status } = handoff;
  const titleId = `t-${handoff.id}`;
  const assessment = strings.assessment[handoff.assessment.status];
  const state = strings.state[status];
  const button = (name: CardAction | 'open', label: string, primary = false) =>
    html`<button
      part="${name}-button"
      class=${primary ? 'primary' : ''}
      ?disabled=${busy}
      aria-describedby=${titleId}
      @click=${() => (name === 'open' ? context.onOpen(card) : context.onAct(card, name))}
    >
      ${label}
    </button>`;
  const actions = leaving ? [] : actionsFor(handoff, me);
  const open = context.canOpen && status !== 'open' && !leaving;
  return html`<li
    part="card${leaving ? ' card-leaving' : ''}${handoff.overdueAt ? ' card-overdue' : ''}"
    class="card${card.fresh ? ' fresh' : ''}${leaving ? ' leaving' : ''}${handoff.overdueAt ? ' late' : ''}"
    aria-labelledby=${titleId}
    data-id=${handoff.id}
    tabindex="-1"
  >
    <div part="card-header" class="row">
      <span part="priority" class="badge ${handoff.priority}">${strings.priority[handoff.priority]}</span>
      ${state ? html`<span part="state" class="badge ${status}">${state}</span>` : nothing}
      ${handoff.overdueAt ? html`<span part="overdue" class="badge urgent">${strings.overdue}</span>` : nothing}
      ${handoff.context.client ? html`<span part="client" class="muted">${handoff.context.client}</span>` : nothing}
    </div>
    <h3 part="title" id=${titleId}>${handoff.title}</h3>
    <p part="meta" class="muted">
      ${strings.escalated(relativeTime(handoff.createdAt, locale, now), handoff.createdBy.name)}
    </p>
    ${
      claimedBy && claimedAt && !leaving
        ? html`<p part="holder">
            ${strings.heldBy(claimedBy.name, duration(secondsBetween(handoff.createdAt, claimedAt), locale))}
          </p>`
        : nothing
    }
    ${
      assessment
        ? html`<p part="assessment" class="muted assessment ${handoff.assessment.status}">${assessment}</p>`
        : nothing
    }
    ${leaving ? html`<p part="card-notice" class="notice" role="status">${leaving}</p>` : nothing}
    ${
      actions.length || open
        ? html`<div part="actions" class="row">
            ${actions.map((name) =>
              name === 'claim'
                ? button(name, busy ? strings.pickingUp : strings.pickUp, true)
                : button(name, strings[name], name === 'start'),
            )}
            ${open ? button('open', strings.open) : nothing}
          </div>`
        : nothing
    }
    ${error ? html`<p part="card-error" class="error" role="alert">${error}</p>` : nothing}
  </li>`;
}
