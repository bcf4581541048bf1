import { createRoute, z } from '@hono/zod-openapi';
import type { HttpBindings } from '@hono/node-server';
import { requirePermission } from '../auth/require.js';
import { ApiError, invalidRequest } from '../errors.js';
import { AUTH_ERRORS, BEARER, createRouter } from '../http/router.js';
import { parseLastEventId } from '../stream/event-id.js';

/** Headers already decided by middleware (CORS, request id) that the stream must carry too. */
const PASS_THROUGH = /^(access-control-|x-request-id$|vary$)/i;

/** `GET /v1/stream`: the account's live events as Server-Sent Events. */
export const streamRouter = createRouter();

streamRouter.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: 'Live events (Server-Sent Events)',
    description:
      "Each event has `id` (`<epoch>.<seq>`, e.g. `1.42`: an opaque string to compare only for equality; `seq` counts your account's events 1, 2, 3 … with no holes), `event` (its type) and `data` (JSON). Send `Last-Event-ID` to resume: every later event of your account arrives in order, exactly once, then the live tail. An id the server cannot resume from (pruned, from another epoch, the old bare-number form, or unknown) gets `stream.reset`: refetch. `stream.expired` means reconnect with a fresh token. A comment arrives at once and every 15 s.",
    security: BEARER,
    request: {
      headers: z.object({
        'last-event-id': z.string().optional().openapi({ description: 'Resume after this event id' }),
      }),
    },
    responses: {
      200: {
        description: 'An endless event stream',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...AUTH_ERRORS,
    },
  }),
  async (c) => {
    const principal = requirePermission(c, 'read');
    const header = c.req.header('Last-Event-ID');
    const lastEventId = header ? parseLastEventId(header) : null;
    if (lastEventId === undefined) {
      throw invalidRequest('Last-Event-ID must be an event id from this stream', [
        { path: 'header.last-event-id', message: 'Expected an event id such as 1.42' },
      ]);
    }
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    const hub = c.get('deps').streams;
    if (!outgoing || !hub) throw new ApiError(400, 'invalid_request', 'Streaming needs the Node server');
    const headers: Record<string, string> = {};
    c.res.headers.forEach((value, key) => {
      if (PASS_THROUGH.test(key)) headers[key] = value;
    });
    const refusal = await hub.open(outgoing, principal, lastEventId, headers);
    if (refusal) {
      throw new ApiError(429, 'rate_limited', refusal.message, {
        headers: { 'Retry-After': String(refusal.retryAfterSeconds) },
      });
    }
    // Tells @hono/node-server that the response was written directly.
    return new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
  },
);
