import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Handoff } from '@resolutionflow/types';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock.js';
import { notificationOutbox } from '../db/schema.js';
import { createWorld, escalation, ManualClock, type TestWorld } from '../test/harness.js';
import { SmtpMailer } from './mailer.js';

const POLICY = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 200, pollMs: 50 };
const ROSTER = [
  { id: 'sam', name: 'Sam', email: 'sam@msp.example', role: 'engineer' },
  { id: 'kim', name: 'Kim', email: 'kim@msp.example', role: 'engineer' },
  { id: 'lee', name: 'Lee', role: 'engineer' },
  { id: 'ada', name: 'Ada', email: 'ada@msp.example', role: 'admin' },
  { id: 'tom', name: 'Tom', email: 'tom@msp.example', role: 'technician' },
  { id: 'vic', name: 'Vic', email: 'vic@msp.example', role: 'viewer' },
];

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real SMTP server on loopback that keeps what it is sent. */
async function smtpSink(port = 0) {
  const messages: { from: string; to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, messages };
}

/** Accepts TCP and never sends the SMTP greeting. */
async function hangingSmtp() {
  const sockets = new Set<Socket>();
  let connected: () => void = () => undefined;
  const firstConnection = new Promise<void>((resolve) => (connected = resolve));
  const server = createNetServer((socket) => {
    sockets.add(socket);
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  /** Register after the world, so it runs first: a hung send then fails at once. */
  const close = () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return { url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, firstConnection, close };
}

/** A loopback port with nothing listening on it (yet). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function mailWorld(
  smtpUrl: string,
  { timeoutMs = 2000, ...options }: { clock?: Clock; env?: Record<string, string>; timeoutMs?: number } = {},
) {
  const world = await createWorld({
    mailer: new SmtpMailer(smtpUrl, 'rf@example.com', timeoutMs),
    outboxPolicy: POLICY,
    ...options,
  });
  cleanups.push(async () => {
    world.services.outbox!.stop();
    await world.services.outbox!.idle();
    await world.close();
  });
  for (const { id, ...body } of ROSTER) {
    expect((await world.call('PUT', `/v1/users/${id}`, { token: world.a.apiKey, body })).status).toBe(200);
  }
  const bob = { name: 'Bob', email: 'bob@other.example', role: 'engineer' };
  expect((await world.call('PUT', '/v1/users/bob', { token: world.b.apiKey, body: bob })).status).toBe(200);
  return world;
}

async function escalate(
  world: TestWorld,
  body: Record<string, unknown> = escalation(),
): Promise<{ handoff: Handoff; ms: number }> {
  const token = await world.a.token('engineer', { id: 'sam', name: 'Sam', email: 'sam@msp.example' });
  const started = performance.now();
  const response = await world.call('POST', '/v1/handoffs', { token, body });
  const ms = performance.now() - started;
  expect(response.status).toBe(201);
  return { handoff: (await response.json()) as Handoff, ms };
}

const outboxOf = (world: TestWorld, handoffId: string) =>
  world.database.db
    .select()
    .from(notificationOutbox)
    .where(eq(notificationOutbox.handoffId, handoffId))
    .all();

/** The decoded text/plain and text/html parts of a raw MIME message. */
function bodies(raw: string): { text: string; html: string } {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const found = { text: '', html: '' };
  for (const part of raw.split(`--${boundary}`).slice(1)) {
    const split = part.indexOf('\r\n\r\n');
    const head = part.slice(0, split);
    let body = part.slice(split + 4).replace(/\r\n$/, '');
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      body = Buffer.from(bytes, 'latin1').toString('utf8');
    }
    body = body.replace(/\r\n/g, '\n');
    if (/content-type:\s*text\/plain/i.test(head)) found.text = body;
    if (/content-type:\s*text\/html/i.test(head)) found.html = body;
  }
  return found;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return `p50 ${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
};

describe('escalation e-mail', () => {
  it('should mail every other engineer and admin with an address, not the creator, technicians, viewers or another account', async () => {
    const sink = await smtpSink();
    const world = await mailWorld(sink.url);
    const { handoff } = await escalate(world);
    await world.services.outbox!.idle();

    const rows = outboxOf(world, handoff.id).map((row) => `${row.recipientId}:${row.status}`);
    expect(rows.sort()).toEqual(['ada:sent', 'kim:sent']);
    const recipients = sink.messages.flatMap((message) => message.to);
    expect(recipients.sort()).toEqual(['ada@msp.example', 'kim@msp.example']);
    expect(sink.messages.every((message) => message.from === 'rf@example.com')).toBe(true);
  });

  it('should send nothing for a shift handoff', async () => {
    const sink = await smtpSink();
    const world = await mailWorld(sink.url);
    const { handoff } = await escalate(world, escalation({ intent: 'handoff' }));
    await world.services.outbox!.idle();
    expect(outboxOf(world, handoff.id)).toEqual([]);
    expect(sink.messages).toEqual([]);
  });

  it('should escape the HTML body and put the summary and the templated link in the text body', async () => {
    const sink = await smtpSink();
    const world = await mailWorld(sink.url, {
      env: { HANDOFF_URL_TEMPLATE: '{publicUrl}/queue?open={id}&src=mail' },
    });
    const title = '<script>alert("x")</script> Outlook & profiles';
    const problemSummary = 'Outlook prompts every few minutes.\nOWA is fine.';
    const { handoff } = await escalate(world, escalation({ title, problemSummary }));
    await world.services.outbox!.idle();

    const message = sink.messages.find((m) => m.to.includes('kim@msp.example'))!;
    const { text, html } = bodies(message.raw);
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

describe('escalation e-mail while SMTP is down', () => {
  it('should keep the row pending with the error, then deliver it exactly once when SMTP comes up', async () => {
    const port = await freePort();
    const clock = new ManualClock(Date.now());
    const world = await mailWorld(`smtp://127.0.0.1:${port}`, { clock });
    await world.call('PUT', '/v1/users/ada', { token: world.a.apiKey, body: { name: 'Ada', role: 'admin' } });
    const { handoff } = await escalate(world);
    await world.services.outbox!.idle();
    const [down] = outboxOf(world, handoff.id);
    expect(down).toMatchObject({
      recipientId: 'kim',
      status: 'pending',
      attempts: 1,
      nextAttemptAt: clock.now() + 50,
    });
    expect(down!.lastError).toMatch(/ECONNREFUSED/);

    const sink = await smtpSink(port);
    clock.advance(50);
    world.services.outbox!.wake();
    await world.services.outbox!.idle();
    expect(outboxOf(world, handoff.id)).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 2, lastError: null, sentAt: clock.now() }),
    ]);

    clock.advance(60 * 60_000);
    world.services.outbox!.wake();
    await world.services.outbox!.idle();
    expect(sink.messages.map((message) => message.to)).toEqual([['kim@msp.example']]);
  });

  it('should back off 50, 100, 200, 200 ms and give up as failed after maxAttempts', async () => {
    const clock = new ManualClock(Date.now());
    const world = await mailWorld(`smtp://127.0.0.1:${await freePort()}`, { clock });
    await world.call('PUT', '/v1/users/ada', { token: world.a.apiKey, body: { name: 'Ada', role: 'admin' } });
    const { handoff } = await escalate(world);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= POLICY.maxAttempts; attempt += 1) {
      await world.services.outbox!.idle();
      const [row] = outboxOf(world, handoff.id);
      expect(row!.attempts).toBe(attempt);
      if (row!.status === 'pending') delays.push(row!.nextAttemptAt - clock.now());
      clock.advance(POLICY.maxDelayMs);
      world.services.outbox!.wake();
    }
    await world.services.outbox!.idle();
    expect(delays).toEqual([50, 100, 200, 200]);
    expect(outboxOf(world, handoff.id)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 5, sentAt: null }),
    ]);
    expect(outboxOf(world, handoff.id)[0]!.lastError).toMatch(/ECONNREFUSED/);
  });

  it('should create escalations as fast with a hanging mail server as with a working one', async () => {
    const sink = await smtpSink();
    const working = await mailWorld(sink.url);
    const withMail: number[] = [];
    for (let i = 0; i < 20; i += 1) withMail.push((await escalate(working)).ms);

    const hanging = await hangingSmtp();
    const stuck = await mailWorld(hanging.url);
    cleanups.push(hanging.close);
    const whileHanging: number[] = [];
    const created: Handoff[] = [];
    for (let i = 0; i < 20; i += 1) {
      const { handoff, ms } = await escalate(stuck);
      created.push(handoff);
      whileHanging.push(ms);
    }
    await hanging.firstConnection;
    console.log(`create latency, 20 creates, SMTP working: ${stats(withMail)}`);
    console.log(`create latency, 20 creates, SMTP hanging: ${stats(whileHanging)}`);
    for (const ms of [...withMail, ...whileHanging]) expect(ms).toBeLessThan(250);
    // The mail is delayed, not lost: every row is still queued.
    const rows = created.flatMap((handoff) => outboxOf(stuck, handoff.id));
    expect(rows).toHaveLength(40);
    expect(rows.every((row) => row.status === 'pending' && row.sentAt === null)).toBe(true);
  });

  it('should give up on a server that never greets within the mailer timeout, and try again', async () => {
    const hanging = await hangingSmtp();
    const world = await mailWorld(hanging.url, { timeoutMs: 300 });
    cleanups.push(hanging.close);
    const { handoff } = await escalate(world);
    const kim = () => outboxOf(world, handoff.id).find((row) => row.recipientId === 'kim')!;
    await vi.waitFor(() => expect(kim().attempts).toBeGreaterThanOrEqual(2), { timeout: 3000, interval: 20 });
    expect(kim().lastError).toMatch(/timeout|greeting/i);
  });

  it('should stop cleanly, without a failing write, while a send is still in flight', async () => {
    const hanging = await hangingSmtp();
    const world = await mailWorld(hanging.url);
    cleanups.push(hanging.close);
    await escalate(world);
    await hanging.firstConnection;
    await world.close();
    const settled = world.services.outbox!.idle();
    hanging.close();
    await expect(settled).resolves.toBeUndefined();
  });
});
