import type { Handoff, HandoffEventData } from '@resolutionflow/types';

/** What a chat message says about one event. */
interface Summary {
  headline: string;
  handoff: Handoff;
  link: string;
}

const HEADLINES: Partial<Record<HandoffEventData['type'], (data: HandoffEventData) => string>> = {
  'handoff.created': (data) => `New escalation from ${data.handoff.createdBy.name}`,
  'handoff.overdue': (data) =>
    data.policy?.action === 'remind'
      ? `Picked up by ${data.handoff.claimedBy?.name ?? 'someone'} but not started yet`
      : `Still waiting: nobody has picked this up (${data.policy?.afterSeconds ?? 0} s)`,
  'handoff.claimed': (data) => `Picked up by ${data.handoff.claimedBy?.name ?? 'someone'}`,
  'handoff.released': (data) =>
    data.reason === 'policy' ? 'Back in the queue: claimed but never started' : 'Back in the queue',
};

/** The one-line headline of an event in a chat channel. */
export const headline = (data: HandoffEventData): string =>
  HEADLINES[data.type]?.(data) ?? data.type.replace('handoff.', 'Escalation ');

/** Slack mrkdwn: `&`, `<` and `>` are control characters; user text must not open a link or a mention. */
const slackText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const triedLines = (handoff: Handoff) =>
  handoff.tried.slice(0, 10).map((step) => `• ${step.action} (${step.outcome})`);

const assessmentLine = (handoff: Handoff): string | null => {
  const { assessment } = handoff;
  if (assessment.status !== 'ready' || !assessment.likelyCause) return null;
  const confidence =
    assessment.confidence === undefined ? '' : ` (${Math.round(assessment.confidence * 100)}%)`;
  return `${assessment.likelyCause}${confidence}`;
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A Slack incoming-webhook message (Block Kit) with a plain-text fallback. */
export function slackMessage({ headline: title, handoff, link }: Summary): unknown {
  const fields = [`*Client*\n${slackText(handoff.context.client ?? '—')}`, `*Priority*\n${handoff.priority}`];
  const tried = triedLines(handoff);
  const assessment = assessmentLine(handoff);
  return {
    text: slackText(`${title}: ${handoff.title}`),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(handoff.title, 150) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackText(title) }] },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      { type: 'section', text: { type: 'mrkdwn', text: slackText(clip(handoff.problemSummary, 2900)) } },
      ...(tried.length > 0
        ? [
            {
              type: 'section',
              text: { type: 'mrkdwn', text: `*Already tried*\n${slackText(tried.join('\n'))}` },
            },
          ]
        : []),
      ...(assessment
        ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Assessment*\n${slackText(assessment)}` } }]
        : []),
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the escalation' }, url: link }],
      },
    ],
  };
}

/** A Microsoft Teams incoming-webhook message: one Adaptive Card. */
export function teamsMessage({ headline: title, handoff, link }: Summary): unknown {
  const tried = triedLines(handoff);
  const assessment = assessmentLine(handoff);
  const text = (value: string, extra: Record<string, unknown> = {}) => ({
    type: 'TextBlock',
    text: value,
    wrap: true,
    ...extra,
  });
  return adaptiveCard(
    [
      text(clip(handoff.title, 200), { size: 'Large', weight: 'Bolder' }),
      text(title, { isSubtle: true }),
      {
        type: 'FactSet',
        facts: [
          { title: 'Client', value: handoff.context.client ?? '—' },
          { title: 'Priority', value: handoff.priority },
        ],
      },
      text(clip(handoff.problemSummary, 2000)),
      ...(tried.length > 0 ? [text('Already tried', { weight: 'Bolder' }), text(tried.join('\n'))] : []),
      ...(assessment ? [text('Assessment', { weight: 'Bolder' }), text(assessment)] : []),
    ],
    [{ type: 'Action.OpenUrl', title: 'Open the escalation', url: link }],
  );
}

/** A Teams message carrying one Adaptive Card. */
function adaptiveCard(body: unknown[], actions: unknown[] = []): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length > 0 ? { actions } : {}),
        },
      },
    ],
  };
}

/** The chat message for an event (the test ping has no handoff: a plain line). */
export function chatMessage(
  kind: 'slack' | 'teams',
  eventType: string,
  data: unknown,
  link: (handoffId: string) => string,
): unknown {
  if (eventType === 'webhook.test' || !(data as Partial<HandoffEventData>).handoff) {
    const line =
      eventType === 'webhook.test' ? 'ResolutionFlow test message: this channel is connected.' : eventType;
    return kind === 'slack' ? { text: line } : adaptiveCard([{ type: 'TextBlock', text: line, wrap: true }]);
  }
  const event = data as HandoffEventData;
  const summary = { headline: headline(event), handoff: event.handoff, link: link(event.handoff.id) };
  return kind === 'slack' ? slackMessage(summary) : teamsMessage(summary);
}
