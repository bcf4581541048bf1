import { connect } from 'node:net';

/** A status and the text that came with it. */
export interface Answer {
  status: number;
  text: string;
}

/**
 * Writes a request byte for byte to the server at `url` (CR, LF and NUL where
 * no HTTP client would put them) and reads the answer: its status, and the raw
 * response, head included. A stream's answer is read only as far as its first
 * comment.
 */
export function rawRequest(url: string, request: string, body?: string | Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('text/event-stream') && text.includes(': connected\n\n')) done();
    });
    socket.on('end', done);
    // A server that answered early may close before the whole body is written: keep what it answered.
    socket.on('error', (error) => (text ? done() : reject(error)));
    socket.write(request);
    // Not end(): a half-closed client gets nothing from Node's HTTP server once its handler awaits
    // anything (it aborts the request on the client's FIN), and no real client half-closes.
    if (body !== undefined) socket.write(body);
  });
}

/**
 * One request over real HTTP; a stream is read only as far as its head. When
 * the server answers a large body early (413) and stops reading, undici reports
 * the failed upload instead of the answer, so the answer is read over a raw socket.
 */
export async function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): Promise<Answer> {
  const aborter = new AbortController();
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      signal: aborter.signal,
      ...(body === undefined ? {} : { body }),
    });
    const streaming = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    const text = streaming ? '' : await response.text();
    return { status: response.status, text };
  } catch (error) {
    if (body === undefined) throw error;
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const answer = await rawRequest(
      url,
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}Content-Length: ${length}\r\nConnection: close\r\n\r\n`,
      body,
    );
    return { status: answer.status, text: answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4) };
  } finally {
    aborter.abort();
  }
}
