import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';

/** One structured log line per request, with its id, status and duration. */
export function requestLog() {
  return createMiddleware<AppEnv>(async function requestLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const { logger } = c.get('deps');
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        account: principal?.accountId,
      },
      'request',
    );
  });
}
