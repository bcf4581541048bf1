import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { Metrics } from './metrics.js';

/** The route label of a request that matched no handler (a 404): one value, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The template of the handler a request matched (`/v1/handoffs/:id`), never its
 * raw path, which carries ids. Middleware registered with `use()` matches with
 * method `ALL`; the handler is the last route with a real method.
 */
export function routeTemplate(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  }
  return UNMATCHED_ROUTE;
}

/**
 * Observes every request's duration by route template, method and status.
 * Registered first, so it times what the client waits for, errors included.
 *
 * @example
 * app.use('*', requestMetrics(metrics));
 */
export function requestMetrics(metrics: Metrics) {
  return createMiddleware(async function requestMetricsMiddleware(c, next) {
    if (!metrics.enabled) return next();
    const started = performance.now();
    await next();
    metrics.httpRequest(routeTemplate(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
  });
}
