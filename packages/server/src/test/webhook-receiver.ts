import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/** How the receiver answers: 200, a status, never, by closing mid-answer, or by redirecting. */
export type ReceiverMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  | { kind: 'close-mid-body' }
  | { kind: 'redirect'; location: string };

/** A request the receiver got, as it got it. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON. */
  json: Record<string, unknown>;
  at: number;
}

/**
 * A real HTTP server on loopback standing in for a webhook receiver (a PSA
 * bridge, Slack, Teams). It records every request and answers as `mode` says;
 * change `mode` between requests. Closed when the current test ends.
 */
export async function webhookReceiver(
  options: { mode?: ReceiverMode; host?: string; onTestEnd?: boolean } = {},
) {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const state: { mode: ReceiverMode } = { mode: options.mode ?? { kind: 'ok' } };
  const answer = (res: ServerResponse) => {
    const mode = state.mode;
    if (mode.kind === 'ok') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    else if (mode.kind === 'status') res.writeHead(mode.status).end('no');
    else if (mode.kind === 'redirect') res.writeHead(307, { location: mode.location }).end();
    else if (mode.kind === 'close-mid-body') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('partial');
      setImmediate(() => res.socket?.destroy());
    }
    // hang: never answer.
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // Recorded as received; the test says whether it should have been JSON.
      }
      received.push({ headers: req.headers, body, json, at: Date.now() });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      answer(res);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const receiver = {
    url: `http://${host}:${port}/hooks`,
    port,
    received,
    state,
    /** Resolves once `count` requests have arrived in all. */
    waitFor(count: number, timeoutMs = 10_000): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${received.length} of ${count} requests`)),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  if (options.onTestEnd !== false) onTestFinished(receiver.close);
  return receiver;
}

/**
 * Verifies a Standard Webhooks signature the way a receiver written from the
 * specification would, with node:crypto alone (not the `standardwebhooks`
 * package the server signs with): HMAC-SHA256 over `id.timestamp.body`, keyed
 * with the base64-decoded secret after `whsec_`, compared with each `v1,`
 * signature in the header. Resolves which of `secrets` signed it.
 */
export function verifiedBy(received: Received, secrets: readonly string[]): string[] {
  const id = String(received.headers['webhook-id']);
  const timestamp = String(received.headers['webhook-timestamp']);
  const signatures = String(received.headers['webhook-signature'] ?? '')
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  return secrets.filter((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${received.body}`).digest();
    return signatures.some(
      (signature) => signature.length === expected.length && timingSafeEqual(signature, expected),
    );
  });
}

/** Polls `done` every 25 ms (the server's background work has no completion event) until true or the deadline. */
export async function until(
  done: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
