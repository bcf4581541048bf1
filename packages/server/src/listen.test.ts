import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './serve.js';
import { addAccount, testConfig, type TestAccount } from './test/harness.js';
import { silentLogger } from './test/silent-logger.js';

let dir: string;
let cert: string;
let server: RunningServer;
let account: TestAccount;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rf-tls-'));
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  cert = pems.cert;
  writeFileSync(join(dir, 'cert.pem'), pems.cert);
  writeFileSync(join(dir, 'key.pem'), pems.private);
  const config = testConfig({
    PORT: '0',
    DATABASE_PATH: join(dir, 'tls.db'),
    TLS_CERT_PATH: join(dir, 'cert.pem'),
    TLS_KEY_PATH: join(dir, 'key.pem'),
    // Small, so that a client that stops reading is cut after a few events.
    STREAM_BUFFER_BYTES: '4096',
  });
  server = await startServer(config, silentLogger());
  account = await addAccount(server.database, 'TLS MSP', Date.now());
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends one request on `session` and reads its whole answer. */
function request(session: ClientHttp2Session, path: string, token: string, body?: unknown) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const stream = session.request({
      ':path': path,
      ':method': body === undefined ? 'GET' : 'POST',
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    });
    let status = 0;
    let text = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve({ status, text }));
    stream.on('error', reject);
    stream.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** An open live stream: what it has received so far, and a wait for some text to arrive. */
interface OpenStream {
  stream: ClientHttp2Stream;
  /** Resolves when the stream has received `text` (at once if it already has). */
  received(text: string): Promise<void>;
}

/** Opens the live stream on `session`; resolves once its head has arrived. */
function openStream(session: ClientHttp2Session, token: string) {
  return new Promise<OpenStream>((resolve, reject) => {
    const stream = session.request({ ':path': '/v1/stream', authorization: `Bearer ${token}` });
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    const received = (wanted: string) =>
      new Promise<void>((done) => {
        const check = () => {
          if (!text.includes(wanted)) return;
          stream.off('data', check);
          done();
        };
        stream.on('data', check);
        check();
      });
    stream.on('response', (headers) => {
      expect(headers[':status']).toBe(200);
      expect(headers['content-type']).toMatch(/^text\/event-stream/);
      expect(headers).not.toHaveProperty('connection');
      resolve({ stream, received });
    });
    stream.on('error', reject);
  });
}

const createBody = (title: string, problemSummary = 'Over HTTP/2') => ({ title, problemSummary, tried: [] });

describe('serving over TLS with a certificate', () => {
  it('should speak HTTP/2: ten streams and the other requests of a browser share one connection', async () => {
    const session = http2.connect(server.url, { ca: cert });
    try {
      const token = await account.token('engineer', { id: 'sam' });
      const streams = await Promise.all(Array.from({ length: 10 }, () => openStream(session, token)));
      // An eleventh request (six is the HTTP/1.1 limit per host) answers at once beside them.
      expect((await request(session, '/v1/me', token)).status).toBe(200);
      const created = await request(
        session,
        '/v1/handoffs',
        account.apiKey,
        createBody('Seen by ten streams'),
      );
      expect(created.status).toBe(201);
      const { id } = JSON.parse(created.text) as { id: string };
      await Promise.all(streams.map(({ received }) => received(id)));
      expect(session.alpnProtocol).toBe('h2');
    } finally {
      session.close();
    }
  });

  it('should still answer HTTP/1.1 clients', async () => {
    const answer = await new Promise<{ status: number; version: string }>((resolve, reject) => {
      https
        .get(`${server.url}/healthz`, { ca: cert }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, version: response.httpVersion });
        })
        .on('error', reject);
    });
    expect(answer).toEqual({ status: 200, version: '1.1' });
  });

  it('should cut a stream that stops reading by resetting that stream alone, not its connection', async () => {
    const session = http2.connect(server.url, { ca: cert });
    // Like a browser, a connection window far larger than one stream's, so that a stream
    // nobody reads fills its own window, not the connection's.
    session.on('connect', () => session.setLocalWindowSize(16 * 1024 * 1024));
    try {
      const token = await account.token('engineer', { id: 'kim' });
      const stalled = await openStream(session, token);
      const healthy = await openStream(session, token);
      stalled.stream.pause();
      let cut = false;
      const reset = new Promise<number>((resolve) =>
        stalled.stream.once('close', () => {
          cut = true;
          resolve(stalled.stream.rstCode ?? -1);
        }),
      );
      let last = '';
      // Each event carries ~1 KB; past HTTP/2's 64 KB window and the 4 KB bound the server cuts it.
      for (let i = 0; i < 150 && !cut; i++) {
        const created = await request(
          session,
          '/v1/handoffs',
          account.apiKey,
          createBody(`Burst ${i}`, 'x'.repeat(1000)),
        );
        expect(created.status).toBe(201);
        last = (JSON.parse(created.text) as { id: string }).id;
      }
      expect(await reset).toBe(http2.constants.NGHTTP2_CANCEL);
      await healthy.received(last);
      expect(session.closed || session.destroyed).toBe(false);
      expect((await request(session, '/v1/me', token)).status).toBe(200);
    } finally {
      session.close();
    }
  });
});
