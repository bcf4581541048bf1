import { readFileSync } from 'node:fs';
import { createSecureServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { ConfigError, type Config } from './config.js';

/** A listening HTTP server and what closing it needs. */
export interface Listener {
  server: ServerType;
  /** Where it listens, e.g. `https://127.0.0.1:8787`. */
  url: string;
  port: number;
  /**
   * Ends idle keep-alive sockets and HTTP/2 sessions, which would otherwise hold
   * `server.close()` open, and from now on answers HTTP/1.1 requests with
   * `Connection: close`: a client that keeps its connection busy (a load
   * balancer, a busy backend) moves to another instance instead of holding
   * this one open until it is killed.
   */
  closeIdle(): void;
}

type Fetch = Parameters<typeof serve>[0]['fetch'];

/**
 * Listens on the configured host and port: plain HTTP/1.1, or — given a certificate
 * (`TLS_CERT_PATH`, `TLS_KEY_PATH`) — HTTPS speaking HTTP/2 with HTTP/1.1 for older
 * clients. HTTP/2 multiplexes every request of a browser over one connection, which
 * lifts the six-connections-per-host limit that long-lived streams run into.
 *
 * @throws ConfigError naming the variable when a certificate or key cannot be read or used.
 */
export async function listen(fetch: Fetch, config: Config): Promise<Listener> {
  const options = { fetch, port: config.port, hostname: config.host };
  const sessions = new Set<Http2Session>();
  const server: ServerType = await new Promise((resolve, reject) => {
    const listening = config.tls
      ? serve({ ...options, createServer: createSecureServer, serverOptions: tlsOptions(config.tls) }, () =>
          resolve(listening),
        )
      : serve(options, () => resolve(listening));
    listening.once('error', reject);
  });
  let closing = false;
  server.prependListener(
    'request',
    (request: { httpVersionMajor: number }, response: { setHeader(name: string, value: string): void }) => {
      if (closing && request.httpVersionMajor === 1) response.setHeader('Connection', 'close');
    },
  );
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    server,
    url: `${config.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    closeIdle() {
      closing = true;
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      // A graceful GOAWAY: requests in flight finish, no new ones start.
      for (const session of sessions) session.close();
    },
  };
}

function tlsOptions(tls: NonNullable<Config['tls']>) {
  const cert = readPem('TLS_CERT_PATH', tls.certPath);
  const key = readPem('TLS_KEY_PATH', tls.keyPath);
  try {
    // Parsing here turns a wrong file into one line naming the variables, not a stack trace later.
    createSecureServer({ cert, key }).close();
  } catch (error) {
    throw new ConfigError([
      `TLS_CERT_PATH, TLS_KEY_PATH: not a certificate and its key (${(error as Error).message})`,
    ]);
  }
  return { cert, key, allowHTTP1: true };
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError([`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`]);
  }
}
