import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppDeps, AppEnv, RequestDeps } from './app-env.js';
import { authenticate } from './auth/authenticate.js';
import { SigningKeyResolver } from './auth/signing-keys.js';
import { AccountOrigins } from './domain/account-origins.js';
import { CreateBatcher } from './domain/create-batcher.js';
import { QueueCache } from './domain/queue-cache.js';
import { accountCors, requireAllowedOrigin } from './http/cors.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { rateLimitWrites } from './http/rate-limit.js';
import { readBody } from './http/read-body.js';
import { requestLog } from './http/request-log.js';
import { noopMetrics } from './metrics/metrics.js';
import { metricsOnApiPort } from './metrics/metrics-listener.js';
import { metricsRouter } from './metrics/metrics-router.js';
import { requestMetrics } from './metrics/request-metrics.js';
import { accountRouter } from './routes/account.js';
import { analyticsRouter } from './routes/analytics.js';
import { handoffsRouter } from './routes/handoffs.js';
import { healthRouter } from './routes/health.js';
import { meRouter } from './routes/me.js';
import { streamRouter } from './routes/stream.js';
import { usersRouter } from './routes/users.js';
import { webhooksRouter } from './routes/webhooks.js';

/** Extra routers mounted beside the API, at the root (the demo's token endpoint and page). */
export interface AppExtensions {
  root?: { path: string; router: Hono<AppEnv> }[];
}

/**
 * Builds the HTTP app from its parts: middleware, authentication, routes, the
 * OpenAPI document and the error handling, in one place. Touches no port and no
 * `process`: the entry point does that.
 */
export function createApp(deps: AppDeps, extensions: AppExtensions = {}): OpenAPIHono<AppEnv> {
  const shared: RequestDeps = {
    ...deps,
    signingKeys: new SigningKeyResolver(deps.database, deps.clock),
    origins: new AccountOrigins(deps.database),
    creates: new CreateBatcher(deps.database, deps.bus),
    queueCache: new QueueCache(deps.bus),
  };
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', requestMetrics(deps.metrics ?? noopMetrics));
  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', async function provideDeps(c, next) {
    c.set('deps', shared);
    // Before the handler: a header set on its response afterwards makes hono copy that response.
    c.header('X-Content-Type-Options', 'nosniff');
    await next();
  });
  app.use('*', requestLog());
  app.use('/v1/*', accountCors());
  // Before anything that touches `c.req.raw`: that would build the web Request from Node's
  // stream first, and the body would be read twice (or not at all).
  app.use('/v1/*', readBody({ maxBytes: deps.config.bodyLimitBytes }));

  const v1 = new OpenAPIHono<AppEnv>();
  // Registered before the auth middleware, so the document stays public.
  v1.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'ResolutionFlow Escalation API',
      version: '1.0.0',
      description:
        'Escalations with structured handoff context. Errors are `{ error: { code, message, details } }`.',
    },
    servers: [{ url: '/v1' }],
  });
  v1.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An embed token (ES256 JWT minted by the host backend) or an API key `rf_sk_…`.',
  });
  v1.use('*', authenticate(), requireAllowedOrigin(), rateLimitWrites(deps.config.rateLimit));
  v1.route('/me', meRouter);
  v1.route('/handoffs', handoffsRouter);
  v1.route('/users', usersRouter);
  v1.route('/account', accountRouter);
  v1.route('/stream', streamRouter);
  v1.route('/analytics', analyticsRouter);
  v1.route('/webhooks', webhooksRouter);

  app.route('/', healthRouter);
  if (metricsOnApiPort(deps.config))
    app.route('/', metricsRouter(deps.metrics ?? noopMetrics, deps.config.metrics?.token));
  app.route('/v1', v1);
  for (const { path, router } of extensions.root ?? []) app.route(path, router);
  app.get(
    '/docs',
    Scalar({
      url: '/v1/openapi.json',
      pageTitle: 'ResolutionFlow API reference',
      ...(deps.config.apiReferenceCdn ? { cdn: deps.config.apiReferenceCdn } : {}),
    }),
  );

  app.notFound(notFoundHandler);
  app.onError(errorHandler(deps.logger));
  return app;
}
