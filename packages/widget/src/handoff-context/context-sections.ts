import type { Assessment, Handoff } from '@resolutionflow/types';
import { html, nothing } from 'lit';
import { percent, relativeTime } from '../shared/format.js';
import type { ContextStrings } from './handoff-context.strings.js';

/** Section 2: the steps tried, in order, each with its outcome and time. */
export function renderTried(handoff: Handoff, strings: ContextStrings, locale: string, now: number) {
  if (handoff.tried.length === 0) return html`<p part="empty" class="muted">${strings.triedNothing}</p>`;
  return html`<ol part="steps">
    ${handoff.tried.map(
      (step) =>
        html`<li part="step">
          <span part="outcome" class="badge ${step.outcome}">${strings.outcome[step.outcome]}</span>
          <span part="action">${step.action}</span>
          <time part="step-time" class="muted" datetime=${step.at}
            >${relativeTime(step.at, locale, now)}</time
          >
          ${step.note ? html`<p part="note" class="muted">${step.note}</p>` : nothing}
        </li>`,
    )}
  </ol>`;
}

/** Section 3: the assessment in each of its states. Pending is a skeleton that fills in live. */
export function renderAssessment(assessment: Assessment, strings: ContextStrings, locale: string) {
  switch (assessment.status) {
    case 'pending':
      return html`<div part="assessment-pending" aria-busy="true">
        <p class="muted">${strings.assessing}</p>
        <span part="skeleton" class="skeleton"></span><span part="skeleton" class="skeleton short"></span>
      </div>`;
    case 'ready':
      return html`<div part="assessment-ready">
        ${
          assessment.likelyCause
            ? html`<p part="likely-cause">
                <strong>${strings.likelyCause}:</strong> ${assessment.likelyCause}
              </p>`
            : nothing
        }
        ${
          assessment.confidence !== undefined
            ? html`<p part="confidence" class="muted">
                ${strings.confidence(percent(assessment.confidence, locale))}
              </p>`
            : nothing
        }
        ${
          assessment.nextSteps?.length
            ? html`<h4>${strings.nextSteps}</h4>
                <ol part="next-steps">
                  ${assessment.nextSteps.map((step) => html`<li part="next-step">${step}</li>`)}
                </ol>`
            : nothing
        }
        ${assessment.model ? html`<p part="model" class="muted">${strings.model(assessment.model)}</p>` : nothing}
      </div>`;
    default: {
      const text = { timed_out: strings.timedOut, failed: strings.failed, disabled: strings.disabled }[
        assessment.status
      ];
      return html`<p part="assessment-unavailable assessment-${assessment.status}" class="muted">${text}</p>`;
    }
  }
}

/** Plain text of the four sections, for the clipboard. */
export function summaryText(handoff: Handoff, strings: ContextStrings): string {
  const { context, assessment } = handoff;
  const lines = [handoff.title];
  if (context.client) lines.push(`${strings.client}: ${context.client}`);
  if (context.device) lines.push(`${strings.device}: ${context.device}`);
  if (context.ticketUrl) lines.push(context.ticketUrl);
  lines.push('', `${strings.summary}:`, handoff.problemSummary, '', `${strings.tried}:`);
  handoff.tried.forEach((step, index) =>
    lines.push(
      `${index + 1}. ${step.action} (${strings.outcome[step.outcome]})${step.note ? ` ${step.note}` : ''}`,
    ),
  );
  if (assessment.status === 'ready') {
    lines.push('', `${strings.assessment}:`);
    if (assessment.likelyCause) lines.push(`${strings.likelyCause}: ${assessment.likelyCause}`);
    assessment.nextSteps?.forEach((step, index) => lines.push(`${index + 1}. ${step}`));
  }
  return lines.join('\n');
}
