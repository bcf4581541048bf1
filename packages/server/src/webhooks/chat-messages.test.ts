import { describe, expect, it, onTestFinished } from 'vitest';
import type { Handoff, WebhookWithSecret } from '@resolutionflow/types';
import { createWorld, escalation } from '../test/harness.js';
import { FAST_WEBHOOKS } from '../test/policy-world.js';
import { webhookReceiver } from '../test/webhook-receiver.js';

/** A created, then claimed escalation, with each of Slack's and Teams' receivers subscribed by default. */
async function chatRun() {
  const world = await createWorld({ webhookPolicy: FAST_WEBHOOKS });
  onTestFinished(() => world.close());
  const slack = await webhookReceiver();
  const teams = await webhookReceiver();
  const add = async (kind: string, url: string) => {
    const response = await world.call('POST', '/v1/webhooks', { token: world.a.apiKey, body: { kind, url } });
    expect(response.status).toBe(201);
    return (await response.json()) as WebhookWithSecret;
  };
  const slackHook = await add('slack', slack.url);
  const teamsHook = await add('teams', teams.url);
  const token = await world.a.token('technician', { id: 'alex', name: 'Alex <!channel>' });
  const body = escalation({
    title: 'VPN drops <@U024BE7LH> & *bold*',
    problemSummary: 'Tunnel drops every 10 minutes. <https://evil.example|click here>',
  });
  const created = await world.call('POST', '/v1/handoffs', { token, body });
  const handoff = (await created.json()) as Handoff;
  const engineer = await world.a.token('engineer', { id: 'kim', name: 'Kim' });
  expect((await world.call('POST', `/v1/handoffs/${handoff.id}/claim`, { token: engineer })).status).toBe(
    200,
  );
  // Not subscribed by default: a chat channel hears about arrivals, overdue ones and claims.
  expect((await world.call('POST', `/v1/handoffs/${handoff.id}/start`, { token: engineer })).status).toBe(
    200,
  );
  await Promise.all([slack.waitFor(2), teams.waitFor(2)]);
  await world.services.webhooks.idle();
  return { slack, teams, slackHook, teamsHook, handoff };
}

describe('Slack and Teams endpoints', () => {
  it('should post Block Kit and Adaptive Card messages on created and claimed, with the content and a link, unsigned', async () => {
    const { slack, teams, slackHook, teamsHook, handoff } = await chatRun();
    expect(slackHook.secret).toBeNull();
    expect(teamsHook.events).toEqual(['handoff.created', 'handoff.overdue', 'handoff.claimed']);
    expect(slack.received).toHaveLength(2);
    expect(teams.received).toHaveLength(2);
    const link = `https://rf.example/handoffs/${handoff.id}`;

    const [arrived, claimed] = slack.received.map(
      (r) => r.json as { text: string; blocks: Record<string, unknown>[] },
    );
    expect(slack.received[0]!.headers['webhook-signature']).toBeUndefined();
    expect(arrived!.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: handoff.title } });
    const text = JSON.stringify(arrived!.blocks);
    expect(text).toContain('New escalation from Alex &lt;!channel&gt;');
    expect(text).toContain('*Client*\\nNorthwind');
    expect(text).toContain('*Priority*\\nhigh');
    expect(text).toContain('Tunnel drops every 10 minutes. &lt;https://evil.example|click here&gt;');
    expect(text).toContain('*Already tried*\\n• Cleared cached credentials (failed)');
    expect(arrived!.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the escalation' }, url: link }],
    });
    // User text can neither mention nor link: Slack's control characters arrive escaped.
    expect(arrived!.text).toBe(
      'New escalation from Alex &lt;!channel&gt;: VPN drops &lt;@U024BE7LH&gt; &amp; *bold*',
    );
    expect(JSON.stringify(claimed!.blocks)).toContain('Picked up by Kim');

    const card = (received: (typeof teams.received)[number]) =>
      received.json as {
        type: string;
        attachments: { contentType: string; content: Record<string, unknown> }[];
      };
    const first = card(teams.received[0]!);
    expect(first.type).toBe('message');
    expect(first.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(first.attachments[0]!.content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      actions: [{ type: 'Action.OpenUrl', title: 'Open the escalation', url: link }],
    });
    const body = JSON.stringify(first.attachments[0]!.content.body);
    for (const part of [
      handoff.title,
      'New escalation from Alex',
      '"title":"Client","value":"Northwind"',
      '"value":"high"',
      'Already tried',
    ])
      expect(body).toContain(part);
    expect(JSON.stringify(card(teams.received[1]!).attachments[0]!.content.body)).toContain(
      'Picked up by Kim',
    );
  });
});
