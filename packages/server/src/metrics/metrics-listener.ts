import { Hono } from 'hono';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config.js';
import { errorHandler, notFoundHandler } from '../http/error-handler.js';
import { listen, type Listener } from '../listen.js';
import type { Metrics } from './metrics.js';
import { metricsRouter } from './metrics-router.js';

/**
 * True when `/metrics` is served by the API's own app: a token is set and no
 * port of its own is. With `METRICS_PORT` set it lives only on that port.
 */
export const metricsOnApiPort = (config: Config): boolean =>
  config.metrics?.token !== undefined && config.metrics.port === undefined;

/**
 * Serves `/metrics` alone on `METRICS_PORT` (plain HTTP on the API's host,
 * whatever TLS the API uses: scrapers sit on the private side), so a firewall
 * can keep it from the public while the API stays reachable. Every other path
 * is 404; the token, when also set, is required here too.
 *
 * @returns undefined when no metrics port is configured.
 * @throws ConfigError naming `METRICS_PORT` when the port cannot be taken.
 */
export async function listenMetrics(
  metrics: Metrics,
  config: Config,
  logger: Logger,
): Promise<Listener | undefined> {
  if (config.metrics?.port === undefined) return undefined;
  const app = new Hono();
  app.route('/', metricsRouter(metrics, config.metrics.token));
  app.notFound(notFoundHandler);
  app.onError(errorHandler(logger));
  const port = config.metrics.port;
  return listen(app.fetch, { ...config, port, tls: undefined }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `METRICS_PORT: cannot listen on ${config.host}:${port} (${code ?? String(error)})`,
    ]);
  });
}
