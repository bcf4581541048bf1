import type { Logger } from 'pino';
import type { AppExtensions } from './app.js';
import { createApp } from './app.js';
import { openBus } from './cluster/open-bus.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open-database.js';
import { demoRouter } from './demo/demo-routes.js';
import { demoSite } from './demo/demo-site.js';
import { seedDemo } from './demo/seed.js';
import { listen } from './listen.js';
import { noopMetrics } from './metrics/metrics.js';
import { listenMetrics } from './metrics/metrics-listener.js';
import { createPrometheusMetrics } from './metrics/prometheus-metrics.js';
import { createServices } from './services.js';

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  /** Where `/metrics` is served on its own port (`METRICS_PORT`), if it is. */
  metricsUrl: string | undefined;
  /** Stops accepting, ends open requests and closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database (migrating it), builds the app and listens. The only
 * place besides the CLI that touches a port.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  options: { clock?: Clock } = {},
): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const database = await openDatabase(config.database);
  const listener = config.database.dialect === 'postgres' && config.bus.listen;
  const metrics = config.metrics ? createPrometheusMetrics({ listener }) : noopMetrics;
  const bus = await openBus(config, database, { metrics, logger });
  const extensions: AppExtensions = {};
  if (config.demoMode) {
    const demo = await seedDemo(database, config, clock.now(), logger);
    extensions.root = [
      { path: '/demo', router: demoRouter(demo) },
      { path: '/', router: demoSite() },
    ];
  }
  const services = createServices({ database, bus, clock, config, logger }, { metrics });
  const app = createApp(services.deps, extensions);
  await services.start();

  // What runs beside the HTTP server, stopped in order: the services first, the database last.
  const stopBehind = async () => {
    await services.stop();
    await bus.close?.();
    await database.close();
  };
  const { server, url, port, closeIdle } = await listen(app.fetch, config).catch(async (error: unknown) => {
    await stopBehind();
    throw error;
  });
  const metricsListener = await listenMetrics(services.metrics, config, logger).catch(
    async (error: unknown) => {
      server.close();
      closeIdle();
      await stopBehind();
      throw error;
    },
  );
  const where = config.database.dialect === 'sqlite' ? config.databasePath : 'postgres';
  const instance = config.database.dialect === 'postgres' ? config.bus.instance : undefined;
  logger.info(
    { url, metrics: metricsListener?.url, database: where, instance, demo: config.demoMode },
    'listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    database,
    metricsUrl: metricsListener?.url,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Busy keep-alive connections get `Connection: close` from now on, so they leave too.
        closeIdle();
        // Streams (each told to retry), then idle connections again, which would hold close() open.
        await services.stop();
        closeIdle();
        metricsListener?.server.close();
        metricsListener?.closeIdle();
        await stopped;
        await bus.close?.();
        await database.close();
      })();
      return closing;
    },
  };
}

/** Closes the server on SIGTERM/SIGINT, once, and exits. */
export function closeOnSignals(server: RunningServer, logger: Logger): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void server.close().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
