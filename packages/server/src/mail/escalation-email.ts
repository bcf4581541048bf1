import type { Handoff } from '@resolutionflow/types';
import type { Mail } from './mailer.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** The handoff's link from a template with `{id}` and `{publicUrl}`. */
export function handoffLink(template: string, publicUrl: string, id: string): string {
  return template.replaceAll('{publicUrl}', publicUrl).replaceAll('{id}', encodeURIComponent(id));
}

/** Subject lines are single-line: strip anything that could fold a header. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').slice(0, 150);

/** The escalation e-mail to one engineer: plain text and escaped HTML. */
export function escalationEmail(handoff: Handoff, to: string, link: string): Mail {
  const client = handoff.context.client ? ` (${handoff.context.client})` : '';
  const tried = handoff.tried.map((step, index) => `${index + 1}. ${step.action} — ${step.outcome}`);
  const text = [
    `${handoff.createdBy.name} escalated: ${handoff.title}${client}`,
    `Priority: ${handoff.priority}`,
    '',
    handoff.problemSummary,
    '',
    ...(tried.length > 0 ? ['Already tried:', ...tried, ''] : []),
    `Pick it up: ${link}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">
<p><strong>${escapeHtml(handoff.createdBy.name)}</strong> escalated: <strong>${escapeHtml(handoff.title)}</strong>${escapeHtml(client)}</p>
<p>Priority: ${escapeHtml(handoff.priority)}</p>
<p>${escapeHtml(handoff.problemSummary).replace(/\n/g, '<br>')}</p>
${tried.length > 0 ? `<p>Already tried:</p><ol>${handoff.tried.map((step) => `<li>${escapeHtml(step.action)} — ${escapeHtml(step.outcome)}</li>`).join('')}</ol>` : ''}
<p><a href="${escapeHtml(link)}">Pick it up</a></p>
</body></html>`;
  return { to, subject: oneLine(`[${handoff.priority}] Escalation: ${handoff.title}`), text, html };
}
