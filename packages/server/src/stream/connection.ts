import type { ServerResponse } from 'node:http';
import { constants, Http2ServerResponse } from 'node:http2';
import type { Writable } from 'node:stream';

/** The Node response a stream writes to: HTTP/1.1, or one stream of an HTTP/2 connection. */
export type StreamResponse = ServerResponse | Http2ServerResponse;

/**
 * One open stream: the Node response it writes to, how far it has been sent,
 * and whether it is keeping up. Writes never wait: bytes a client cannot take
 * pile up in its own bounded buffer, and the hub cuts it when they stay there.
 */
export class StreamConnection {
  /** Sequence number of the last event written. */
  cursor: number;
  /** False while replaying history; the hub only sends live events to live connections. */
  live = false;
  /** Since when the socket has refused to drain (ms), or null while it keeps up. */
  stalledSince: number | null = null;
  closed = false;
  private _queuedWhileBehind = 0;
  private _expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly accountId: string,
    readonly userKey: string,
    readonly response: StreamResponse,
    /** The numbering of the ids it is sent (its account's epoch when it opened). */
    readonly epoch: number,
    cursor: number,
    private readonly _bufferBytes: number,
    /** Told when `write()` cuts the client for what piled up behind it (bytes Node still holds). */
    private readonly _onBufferCut: (bufferedBytes: number) => void = () => {},
    private readonly _now: () => number = Date.now,
  ) {
    this.cursor = cursor;
  }

  /**
   * Writes a frame. Bytes written while the client is behind (its socket has not
   * drained since an earlier write) are counted; past the bound the client is
   * cut. A burst to a client that keeps up is fine: the bound is on what piles
   * up, not on one write. Returns false once closed. A frame written to many
   * connections is best a Buffer, encoded once rather than once per socket.
   */
  write(frame: string | Buffer): boolean {
    if (this.closed) return false;
    if (this.stalledSince !== null) {
      this._queuedWhileBehind += Buffer.byteLength(frame);
      if (this._queuedWhileBehind > this._bufferBytes) {
        this._onBufferCut(this.buffered);
        this.close();
        return false;
      }
    }
    if (!(this.response as Writable).write(frame) && this.stalledSince === null) {
      this.stalledSince = this._now();
      this.response.once('drain', () => {
        this.stalledSince = null;
        this._queuedWhileBehind = 0;
      });
    }
    return true;
  }

  /** Bytes written but not yet taken by the client. */
  get buffered(): number {
    return this.response.writableLength;
  }

  /** Calls `onExpire` after `delayMs` (when the token expires). */
  expireAfter(delayMs: number, onExpire: () => void): void {
    this._expiryTimer = setTimeout(onExpire, Math.max(0, delayMs));
    this._expiryTimer.unref();
  }

  /** Ends the response (optionally with a last frame) and releases the socket. */
  close(lastFrame?: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this._expiryTimer);
    if (lastFrame && this.response.writableLength <= this._bufferBytes) {
      this.response.end(lastFrame);
    } else if (this.response.writableLength > 0) {
      // A client that stopped reading: reset it, so neither our buffer nor the kernel's
      // keeps megabytes for it and it learns at once that it was cut. On HTTP/2 only its
      // stream is reset: the connection carries the browser's other requests too.
      const socket = this.response.socket;
      if (this.response instanceof Http2ServerResponse) this.response.stream.close(constants.NGHTTP2_CANCEL);
      else if (socket && 'resetAndDestroy' in socket) socket.resetAndDestroy();
      else this.response.destroy();
    } else {
      this.response.end();
    }
  }
}
