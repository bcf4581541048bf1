import { request, type IncomingMessage } from 'node:http';

/** The SSE id of the event at `seq` of an account's stream in `epoch`, as the server formats it. */
export const eventId = (seq: number, epoch = 1): string => `${epoch}.${seq}`;

/** The sequence number in an `<epoch>.<seq>` id; NaN for any other form, so a test comparing it fails. */
export function seqOf(id: string): number {
  const match = /^\d+\.(\d+)$/.exec(id);
  return match ? Number(match[1]) : NaN;
}

/** True when each number is one more than the one before: the stream's ids are dense. */
export const isDense = (seqs: readonly number[]): boolean =>
  seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1);

/** One parsed SSE frame (comments are kept apart). */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
}

/**
 * A minimal SSE reader over node:http for tests: records every frame and
 * comment, and lets a test await a condition instead of sleeping.
 */
export class SseClient {
  readonly frames: SseFrame[] = [];
  /** When each frame was parsed (`performance.now()`), aligned with `frames`: delivery latency. */
  readonly arrivals: number[] = [];
  readonly comments: string[] = [];
  /** The id the server sent on connect as the point to resume from (SSE id-only message). */
  resumeId: string | undefined;
  status = 0;
  headers: IncomingMessage['headers'] = {};
  ended = false;
  /** The raw text received, up to its first 64 KB (an error body, or the head of a stream). */
  body = '';
  private _buffer = '';
  private _waiters: (() => void)[] = [];
  private _response: IncomingMessage | undefined;
  private readonly _request;

  private constructor(url: string, headers: Record<string, string>) {
    this._request = request(url, { headers: { Accept: 'text/event-stream', ...headers } });
  }

  /** Connects and resolves once the response headers arrive. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient(url, headers);
    return new Promise((resolve, reject) => {
      client._request.on('response', (response) => {
        client._response = response;
        client.status = response.statusCode ?? 0;
        client.headers = response.headers;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => client._feed(chunk));
        response.on('end', () => client._finish());
        response.on('close', () => client._finish());
        resolve(client);
      });
      client._request.on('error', (error) => {
        if (client._response) client._finish();
        else reject(error);
      });
      client._request.end();
    });
  }

  /** Sequence numbers of the `handoff.*` events received, in order (read from their `<epoch>.<seq>` ids). */
  get ids(): number[] {
    return this.frames.filter((f) => f.id !== undefined).map((f) => seqOf(f.id!));
  }

  /** Resolves when `condition` holds; rejects after `timeoutMs` with what was seen. */
  until(condition: (client: SseClient) => boolean, timeoutMs = 5000): Promise<void> {
    if (condition(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._waiters = this._waiters.filter((w) => w !== check);
        reject(
          new Error(`condition not met in ${timeoutMs} ms; ids=${this.ids.join(',')} ended=${this.ended}`),
        );
      }, timeoutMs);
      const check = () => {
        if (!condition(this)) return;
        clearTimeout(timer);
        this._waiters = this._waiters.filter((w) => w !== check);
        resolve();
      };
      this._waiters.push(check);
    });
  }

  /** Stops reading from the socket (a client that cannot keep up). */
  pause(): void {
    this._response?.pause();
  }

  /** Reads again after `pause()`: what the socket held arrives, then the end if the server cut it. */
  resume(): void {
    this._response?.resume();
  }

  close(): void {
    this._request.destroy();
  }

  private _feed(chunk: string): void {
    if (this.body.length < 65_536) this.body += chunk;
    this._buffer += chunk;
    let end: number;
    while ((end = this._buffer.indexOf('\n\n')) !== -1) {
      const block = this._buffer.slice(0, end);
      this._buffer = this._buffer.slice(end + 2);
      const frame: SseFrame = {};
      let isFrame = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const field = line.slice(0, colon) as keyof SseFrame;
        const value = line.slice(colon + 1).replace(/^ /, '');
        frame[field] = frame[field] === undefined ? value : `${frame[field]}\n${value}`;
        isFrame = true;
      }
      if (isFrame && Object.keys(frame).length === 1 && frame.id !== undefined) {
        // An id-only message: the server's resume point for a fresh connection, not an event.
        this.resumeId = frame.id;
      } else if (isFrame) {
        this.frames.push(frame);
        this.arrivals.push(performance.now());
      }
    }
    this._notify();
  }

  private _finish(): void {
    this.ended = true;
    this._notify();
  }

  private _notify(): void {
    for (const waiter of [...this._waiters]) waiter();
  }
}
