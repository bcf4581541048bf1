import { describe, expect, it } from 'vitest';
import { escalation } from '../test/harness.js';
import { escalate, mailWorld, outboxOf, testSmtpSink } from '../test/mail-world.js';
import { mimeBodies } from '../test/mime.js';

describe('escalation e-mail', () => {
  it('should mail every other engineer and admin with an address, not the creator, technicians, viewers or another account', async () => {
    const sink = await testSmtpSink();
    const world = await mailWorld(sink.url);
    const { handoff } = await escalate(world);
    await world.services.outbox!.idle();

    const rows = (await outboxOf(world, handoff.id)).map((row) => `${row.recipientId}:${row.status}`);
    expect(rows.sort()).toEqual(['ada:sent', 'kim:sent']);
    const recipients = sink.messages.flatMap((message) => message.to);
    expect(recipients.sort()).toEqual(['ada@msp.example', 'kim@msp.example']);
    expect(sink.messages.every((message) => message.from === 'rf@example.com')).toBe(true);
  });

  it('should send nothing for a shift handoff', async () => {
    const sink = await testSmtpSink();
    const world = await mailWorld(sink.url);
    const { handoff } = await escalate(world, escalation({ intent: 'handoff' }));
    await world.services.outbox!.idle();
    expect(await outboxOf(world, handoff.id)).toEqual([]);
    expect(sink.messages).toEqual([]);
  });

  it('should escape the HTML body and put the summary and the templated link in the text body', async () => {
    const sink = await testSmtpSink();
    const world = await mailWorld(sink.url, {
      env: { HANDOFF_URL_TEMPLATE: '{publicUrl}/queue?open={id}&src=mail' },
    });
    const title = '<script>alert("x")</script> Outlook & profiles';
    const problemSummary = 'Outlook prompts every few minutes.\nOWA is fine.';
    const { handoff } = await escalate(world, escalation({ title, problemSummary }));
    await world.services.outbox!.idle();

    const message = sink.messages.find((m) => m.to.includes('kim@msp.example'))!;
    const { text, html } = mimeBodies(message.raw);
    const link = `https://rf.example/queue?open=${handoff.id}&src=mail`;
    expect(text).toContain(`Sam escalated: ${title} (Northwind)`);
    expect(text).toContain(problemSummary);
    expect(text).toContain(`Pick it up: ${link}`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Outlook &amp; profiles');
    expect(html).toContain('Outlook prompts every few minutes.<br>OWA is fine.');
    expect(html).toContain(`href="https://rf.example/queue?open=${handoff.id}&amp;src=mail"`);
  });
});
