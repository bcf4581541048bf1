import type { IncomingMessage } from 'node:http';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';

const TOO_LARGE = Symbol('too large');
const decoder = new TextDecoder('utf-8', { fatal: true });
const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The media types hono's JSON validator accepts. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Node's request as @hono/node-server sees it: a `rawBody` Buffer becomes the web Request's body. */
type NodeRequest = IncomingMessage & { rawBody?: Buffer };

/** Node's request stream, up to `maxBytes`; the rest of a larger body is drained and dropped. */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | typeof TOO_LARGE> {
  if (incoming.readableEnded || incoming.destroyed) {
    // Read or gone before we got here: listeners would wait for events that already happened.
    return Promise.reject(new Error('request body already consumed or closed'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
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
    // How a client that left mid-body shows (ECONNRESET "aborted"); `close` covers a destroy
    // without an error. Either way the request ends here instead of waiting forever.
    const onClose = () => onError(new Error('request closed before its body ended'));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
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
      reader.cancel().catch(() => undefined);
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
    // Hono's body cache holds promises at run time, whatever its type says.
    const cached = c.req.bodyCache as Record<string, unknown>;
    // Bodyless methods, and a body this middleware already read (mounted twice).
    if (WITHOUT_BODY.has(c.req.method) || cached.text || cached.arrayBuffer) return next();
    const declared = Number(c.req.header('Content-Length'));
    if (declared > maxBytes && !c.req.header('Transfer-Encoding')) throw tooLarge();

    const incoming = c.env?.incoming as NodeRequest | undefined;
    let bytes: Buffer | typeof TOO_LARGE;
    try {
      if (incoming) bytes = await readIncoming(incoming, maxBytes);
      else bytes = c.req.raw.body ? await readWebBody(c.req.raw.body, maxBytes) : Buffer.alloc(0);
    } catch {
      throw new ApiError(400, 'invalid_request', 'The request body could not be read');
    }
    if (bytes === TOO_LARGE) throw tooLarge();
    // Anything that still asks the web Request for its body (zod-openapi's check for a body sent
    // without a Content-Type, say) gets these bytes rather than the stream we used up.
    if (incoming) incoming.rawBody = bytes;

    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
    if (JSON_MEDIA_TYPE.test(mediaType)) {
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw new ApiError(400, 'invalid_json', 'The request body is not valid UTF-8');
      }
      cached.text = Promise.resolve(text);
    } else {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      cached.arrayBuffer = Promise.resolve(buffer);
    }
    await next();
  });
}
