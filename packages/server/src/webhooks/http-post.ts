import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { bareHost, guardedLookup, isRefused, RefusedTarget, type AddressPolicy } from './address-guard.js';

/** How one attempt went: the receiver's status (null when it never answered) and why it failed. */
export interface AttemptOutcome {
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** Bytes of a receiver's answer read before the rest is dropped: only the status matters. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs `body` to `url` once, under a hard deadline, checking every address
 * it connects to against `policy`. Redirects are not followed (a 3xx is a
 * failure), so no redirect can lead a delivery to an address the policy
 * refuses. Never throws: every outcome is an {@link AttemptOutcome}.
 */
export function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; policy: AddressPolicy; signal?: AbortSignal },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const done = (status: number | null, error: string | null): AttemptOutcome => ({
    status,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done(null, 'invalid URL'));
  }
  const host = bareHost(target.hostname);
  if (isIP(host) && isRefused(host, options.policy)) {
    return Promise.resolve(done(null, new RefusedTarget(host).message));
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      // The signal lives as long as the worker: a listener left on it would keep this attempt.
      options.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.policy) as never,
        // One connection per attempt: a receiver that hangs holds nothing another delivery needs.
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('error', () => finish(done(status, 'connection lost while reading the answer')));
        res.on('aborted', () => finish(done(status, 'connection lost while reading the answer')));
        res.on('close', () => {
          if (!res.complete && read <= MAX_ANSWER_BYTES) {
            finish(done(status, 'connection lost while reading the answer'));
          } else if (status >= 200 && status < 300) {
            finish(done(status, null));
          } else if (status >= 300 && status < 400) {
            finish(done(status, `redirect not followed (HTTP ${status})`));
          } else {
            finish(done(status, `HTTP ${status}`));
          }
        });
      },
    );
    const deadline = setTimeout(() => {
      finish(done(null, `no answer within ${options.timeoutMs} ms`));
      req.destroy();
    }, options.timeoutMs);
    // Shutdown: an attempt in flight ends now instead of holding the process until its deadline.
    function onAbort() {
      finish(done(null, 'interrupted: the server was shutting down'));
      req.destroy();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error: Error) => {
      const reason = error instanceof RefusedTarget ? error.message : `connection failed: ${error.message}`;
      finish(done(null, reason.slice(0, 300)));
    });
    req.end(body);
  });
}
