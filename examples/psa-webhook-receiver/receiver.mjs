// A webhook receiver for ResolutionFlow, as a PSA connector would write it: it verifies each
// delivery's Standard Webhooks signature (standardwebhooks, the reference library), refuses bad
// and stale ones, acts on each webhook-id once, and maps the event to a ticket note.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { psaRequest } from './psa-notes.mjs';

/** How long a webhook-id is remembered: longer than the sender's retries and the 5-minute timestamp window. */
const REMEMBER_MS = 24 * 60 * 60 * 1000;

/**
 * The receiver's request handler. `secrets`: the endpoint's signing secrets (two during a
 * rotation). `onNote`: what a real connector would send to its PSA (here: printed).
 */
export function createReceiver({ secrets, onNote = () => {} }) {
  const verifiers = secrets.map((secret) => new Webhook(secret));
  const seen = new Map();
  const notes = [];
  const stats = { accepted: 0, rejected: 0, duplicates: 0 };

  const verify = (body, headers) => {
    let last;
    for (const verifier of verifiers) {
      try {
        // Checks the HMAC and that webhook-timestamp is within 5 minutes: a captured request
        // replayed later fails here.
        return verifier.verify(body, headers);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  };

  const handle = (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let event;
      try {
        event = verify(body, headers);
      } catch (error) {
        stats.rejected += 1;
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `rejected: ${error.message}` }));
        return;
      }
      const now = Date.now();
      for (const [id, at] of seen) if (now - at > REMEMBER_MS) seen.delete(id);
      if (seen.has(headers['webhook-id'])) {
        // A retry of a delivery already handled (its answer was lost), or a replay inside the
        // window: acknowledged, so the sender stops, and nothing is done twice.
        stats.duplicates += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ duplicate: true }));
        return;
      }
      seen.set(headers['webhook-id'], now);
      stats.accepted += 1;
      const request = psaRequest(event);
      if (request) {
        notes.push(request);
        onNote(request, event);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, note: Boolean(request) }));
    });
  };
  return { handle, notes, stats };
}

/** Serves the receiver on `port` (0: any free one); resolves with its URL and a close function. */
export async function startReceiver({ port = 0, host = '127.0.0.1', ...options }) {
  const receiver = createReceiver(options);
  const server = createServer(receiver.handle);
  await new Promise((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}/resolutionflow`;
  return { ...receiver, url, close: () => new Promise((resolve) => server.close(resolve)) };
}
