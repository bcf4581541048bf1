import type { IncomingMessage } from 'node:http';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { ApiError } from './errors.js';

const TOO_LARGE = Symbol('too large');
const decoder = new TextDecoder('utf-8', { fatal: true });
const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Node's request stream, up to `maxBytes`; the rest of a larger body is drained and dropped. */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      settle();
      // Drained, not destroyed: destroying the request would take the socket, and the 413, with it.
      incoming.resume();
      resolve(TOO_LARGE);
    };
    const onEnd = () => {
      settle();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    // Also how a client that left mid-body shows (ECONNRESET "aborted"): the request ends here.
    incoming.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** A web body stream (`app.request()` in tests, other runtimes), up to `maxBytes`. */
async function readWebBody(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Buffer | typeof TOO_LARGE> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.length;
    if (size > maxBytes) {
      void reader.cancel();
      return TOO_LARGE;
    }
    chunks.push(value);
  }
}

/**
 * Reads every request body once, before anything else looks at it: bodies
 * over `maxBytes` are 413 (with or without Content-Length), and JSON that is
 * not valid UTF-8 is 400 — left alone, it would be decoded with U+FFFD in place
 * of the bad bytes and stored changed, silently.
 *
 * Under @hono/node-server it reads Node's request stream directly: building
 * the web `Request` and its body stream cost more CPU than the rest of a create.
 * What it read goes into hono's body cache, so validators parse it from there.
 */
export function readBody(options: { maxBytes: number }) {
  const { maxBytes } = options;
  const tooLarge = () =>
    new ApiError(413, 'payload_too_large', `Request bodies are limited to ${maxBytes} bytes`);
  return createMiddleware<AppEnv>(async function readBodyMiddleware(c, next) {
    if (WITHOUT_BODY.has(c.req.method)) return next();
    const declared = Number(c.req.header('Content-Length'));
    if (declared > maxBytes && !c.req.header('Transfer-Encoding')) throw tooLarge();

    const incoming = c.env?.incoming;
    let bytes: Buffer | typeof TOO_LARGE;
    try {
      if (incoming) bytes = await readIncoming(incoming, maxBytes);
      else bytes = c.req.raw.body ? await readWebBody(c.req.raw.body, maxBytes) : Buffer.alloc(0);
    } catch {
      throw new ApiError(400, 'invalid_request', 'The request body could not be read');
    }
    if (bytes === TOO_LARGE) throw tooLarge();

    if (/json/i.test(c.req.header('Content-Type') ?? '')) {
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw new ApiError(400, 'invalid_json', 'The request body is not valid UTF-8');
      }
      // Hono's cache holds promises at run time, whatever its type says.
      (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
    } else {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      (c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(buffer);
    }
    await next();
  });
}
