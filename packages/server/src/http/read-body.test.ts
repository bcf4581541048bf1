import { once } from 'node:events';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.js';
import { createWorld, listen } from '../test/harness.js';
import { ApiError } from '../errors.js';
import { readBody } from './read-body.js';

const LIMIT = 1024;

let server: Awaited<ReturnType<typeof listen>>;
let url: string;
/** Errors the app saw, in order; `nextError` resolves with the next one. */
let errors: unknown[];
let errorSeen: (error: unknown) => void;
let nextError: Promise<unknown>;

beforeEach(async () => {
  errors = [];
  nextError = new Promise((resolve) => (errorSeen = resolve));
  const app = new Hono<AppEnv>();
  // Something before readBody lets the request go (the client left while it waited).
  app.use('/gone', async (c, next) => {
    const incoming = c.env.incoming!;
    incoming.destroy();
    await once(incoming, 'close');
    await next();
  });
  app.use('*', readBody({ maxBytes: LIMIT }));
  app.post('/json', async (c) => c.json({ received: await c.req.json<unknown>() }));
  app.post('/bytes', async (c) => c.json({ length: (await c.req.arrayBuffer()).byteLength }));
  app.post('/raw', async (c) => c.text(await c.req.raw.text()));
  app.onError((error, c) => {
    errors.push(error);
    errorSeen(error);
    const status = error instanceof ApiError ? error.status : 500;
    const code = error instanceof ApiError ? error.code : 'internal';
    return c.json({ error: { code, message: error.message } }, status);
  });
  server = await listen(app);
  url = server.url;
});

afterEach(() => server.close());

const post = (path: string, body: RequestInit['body'], type = 'application/json') =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': type }, body });

describe('readBody', () => {
  it('should hand the JSON it read from the Node stream to the handler, unchanged', async () => {
    const sent = { title: 'Ünïcödé ✓ 🚀', n: 1 };
    const response = await post('/json', JSON.stringify(sent));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: sent });
  });

  it('should keep non-JSON bodies as bytes for the handler', async () => {
    const response = await post(
      '/bytes',
      new Uint8Array([0xff, 0xfe, 0x00, 0x41]),
      'application/octet-stream',
    );
    expect(await response.json()).toEqual({ length: 4 });
  });

  it("should leave the body readable from the web Request too, after reading Node's stream", async () => {
    const response = await post('/raw', '{"title":"still here"}');
    expect(await response.text()).toBe('{"title":"still here"}');
  });

  it('should treat only JSON media types as JSON, whatever a parameter says', async () => {
    const bytes = new Uint8Array([0xff, 0xfe]);
    const response = await post('/bytes', bytes, 'text/plain; note=json');
    expect(await response.json()).toEqual({ length: 2 });
  });

  it('should refuse JSON that is not valid UTF-8 with 400 invalid_json', async () => {
    const bytes = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]);
    const response = await post('/json', bytes);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('should answer 413 past the limit, declared or streamed, and at the limit let it through', async () => {
    const pad = (bytes: number) => JSON.stringify({ p: 'x'.repeat(bytes - 8) });
    expect((await post('/json', pad(LIMIT))).status).toBe(200);
    expect((await post('/json', pad(LIMIT + 1))).status).toBe(413);
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(pad(LIMIT + 1)));
        controller.close();
      },
    });
    const response = await fetch(`${url}/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: streamed,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('should let go of a request whose client left mid-body instead of waiting for it forever', async () => {
    const { port } = server.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"a":',
    );
    socket.destroy();
    const error = await nextError;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
    expect(errors).toHaveLength(1);
  });
});

describe('readBody after the request is gone', () => {
  it('should refuse at once a body stream already closed, rather than wait for its events', async () => {
    void post('/gone', '{"a":1}').catch(() => undefined);
    const error = await nextError;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
  });
});

describe('readBody in the app, over HTTP', () => {
  it('should answer a body without a Content-Type with 415 and change nothing', async () => {
    const world = await createWorld();
    const appServer = await listen(world.app);
    try {
      const admin = await world.a.token('admin');
      const response = await fetch(`${appServer.url}/v1/account/settings`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${admin}` },
        body: new TextEncoder().encode(JSON.stringify({ manualBaselineMinutes: 7 })),
      });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
      const settings = await fetch(`${appServer.url}/v1/account/settings`, {
        headers: { Authorization: `Bearer ${admin}` },
      });
      expect(await settings.json()).toMatchObject({ manualBaselineMinutes: null });
    } finally {
      await appServer.close();
      await world.close();
    }
  });
});
