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

/** Which e-mail: the escalation, the policy's "still waiting", or the claimer's reminder. */
export type MailKind = 'escalation' | 'overdue' | 'reminder';

const LEADS: Record<MailKind, { verb: string; subject: string; action: string }> = {
  escalation: { verb: 'escalated', subject: 'Escalation', action: 'Pick it up' },
  overdue: {
    verb: 'escalated (still nobody has picked it up)',
    subject: 'Still waiting',
    action: 'Pick it up',
  },
  reminder: {
    verb: 'escalated (you picked it up but have not started)',
    subject: 'Reminder',
    action: 'Start it',
  },
};

/** The escalation e-mail to one engineer: plain text and escaped HTML. */
export function escalationEmail(
  handoff: Handoff,
  to: string,
  link: string,
  kind: MailKind = 'escalation',
): Mail {
  const lead = LEADS[kind];
  const client = handoff.context.client ? ` (${handoff.context.client})` : '';
  const tried = handoff.tried.map((step, index) => `${index + 1}. ${step.action} — ${step.outcome}`);
  const text = [
    `${handoff.createdBy.name} ${lead.verb}: ${handoff.title}${client}`,
    `Priority: ${handoff.priority}`,
    '',
    handoff.problemSummary,
    '',
    ...(tried.length > 0 ? ['Already tried:', ...tried, ''] : []),
    `${lead.action}: ${link}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">
<p><strong>${escapeHtml(handoff.createdBy.name)}</strong> ${escapeHtml(lead.verb)}: <strong>${escapeHtml(handoff.title)}</strong>${escapeHtml(client)}</p>
<p>Priority: ${escapeHtml(handoff.priority)}</p>
<p>${escapeHtml(handoff.problemSummary).replace(/\n/g, '<br>')}</p>
${tried.length > 0 ? `<p>Already tried:</p><ol>${handoff.tried.map((step) => `<li>${escapeHtml(step.action)} — ${escapeHtml(step.outcome)}</li>`).join('')}</ol>` : ''}
<p><a href="${escapeHtml(link)}">${escapeHtml(lead.action)}</a></p>
</body></html>`;
  return { to, subject: oneLine(`[${handoff.priority}] ${lead.subject}: ${handoff.title}`), text, html };
}
