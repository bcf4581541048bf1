import { html, nothing } from 'lit';
import { relativeTime } from '../shared/format.js';
import type { QueueCard } from './queue-model.js';
import type { QueueStrings } from './escalation-queue.strings.js';

/** What a card needs from its queue. */
export interface CardContext {
  strings: QueueStrings;
  locale: string;
  now: number;
  canClaim: boolean;
  onClaim: (card: QueueCard) => void;
}

/** One escalation in the queue: everything a senior needs to decide to pick it up. */
export function renderCard(card: QueueCard, { strings, locale, now, canClaim, onClaim }: CardContext) {
  const { handoff, leaving, claiming, error } = card;
  const titleId = `t-${handoff.id}`;
  const assessment = strings.assessment[handoff.assessment.status];
  return html`<li
    part="card${leaving ? ' card-leaving' : ''}${handoff.overdueAt ? ' card-overdue' : ''}"
    class="card${card.fresh ? ' fresh' : ''}${leaving ? ' leaving' : ''}${handoff.overdueAt ? ' late' : ''}"
    aria-labelledby=${titleId}
    data-id=${handoff.id}
  >
    <div part="card-header" class="row">
      <span part="priority" class="badge ${handoff.priority}">${strings.priority[handoff.priority]}</span>
      ${handoff.overdueAt ? html`<span part="overdue" class="badge urgent">${strings.overdue}</span>` : nothing}
      ${
        handoff.context.client
          ? html`<span part="client" class="muted">${handoff.context.client}</span>`
          : nothing
      }
    </div>
    <h3 part="title" id=${titleId}>${handoff.title}</h3>
    <p part="meta" class="muted">
      ${strings.escalated(relativeTime(handoff.createdAt, locale, now), handoff.createdBy.name)}
    </p>
    ${
      assessment
        ? html`<p part="assessment" class="muted assessment ${handoff.assessment.status}">${assessment}</p>`
        : nothing
    }
    ${
      leaving
        ? html`<p part="card-notice" class="notice" role="status">${leaving}</p>`
        : canClaim
          ? html`<button
              part="claim-button"
              class="primary"
              ?disabled=${claiming}
              aria-describedby=${titleId}
              @click=${() => onClaim(card)}
            >
              ${claiming ? strings.pickingUp : strings.pickUp}
            </button>`
          : nothing
    }
    ${error ? html`<p part="card-error" class="error" role="alert">${error}</p>` : nothing}
  </li>`;
}
