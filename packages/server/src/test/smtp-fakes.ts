import { createServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A received message: envelope and raw MIME. */
export interface SunkMail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on loopback that keeps what it is sent. While
 * `state.rejectWith` is set, it refuses every recipient with that reply
 * (e.g. 550 or 451): a mail server answering 5xx or 4xx.
 */
export async function smtpSink(port = 0, options: { delayMs?: number } = {}) {
  const messages: SunkMail[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const state: { rejectWith: { code: number; message: string } | null } = { rejectWith: null };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    disableReverseLookup: true,
    onRcptTo(_address, _session, callback) {
      if (!state.rejectWith) return callback();
      const error = Object.assign(new Error(state.rejectWith.message), {
        responseCode: state.rejectWith.code,
      });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        for (const waiter of waiting.filter((w) => messages.length >= w.count)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve();
        }
        // A slow mail server: the message is kept, but the sender waits for its answer.
        if (options.delayMs) setTimeout(callback, options.delayMs);
        else callback();
      });
    },
  });
  // Answer each command at once (no Nagle delay against the client's delayed ACKs).
  server.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${actualPort}`,
    port: actualPort,
    messages,
    state,
    /** Resolves once `count` messages have arrived. */
    received: (count: number) =>
      new Promise<void>((resolve) =>
        messages.length >= count ? resolve() : waiting.push({ count, resolve }),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Accepts TCP connections and never sends the SMTP greeting. */
export async function hangingSmtp() {
  const sockets = new Set<Socket>();
  let connections = 0;
  let connected: () => void = () => undefined;
  const firstConnection = new Promise<void>((resolve) => (connected = resolve));
  const server = createServer((socket) => {
    connections += 1;
    connected();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    /** Settles when the first client connects. */
    firstConnection,
    /** Drops every held connection and stops listening, freeing the port for a working server. */
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
