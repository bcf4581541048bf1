import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import type { Metrics } from './metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * True when `header` is `Bearer <token>`. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or the first wrong byte.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * `GET /metrics`: Prometheus text. With a token, a scrape must present it as a
 * bearer token (401 in the API's error JSON otherwise); without one (its own
 * port, reachable only by whoever can reach that port) it is open.
 *
 * @example
 * app.route('/', metricsRouter(metrics, config.metrics.token));
 */
export function metricsRouter(metrics: Metrics, token: string | undefined): Hono {
  const router = new Hono();
  router.get('/metrics', async (c) => {
    if (token !== undefined && !bearerMatches(c.req.header('Authorization'), token)) {
      throw new ApiError(401, 'unauthorized', 'A valid metrics token is required', {
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  });
  return router;
}
