import { getConfig } from './config.js';
import { LiveConnection } from './live-connection.js';

const connections = new Map<string, LiveConnection>();

/**
 * The page's one live connection for an account on a server, created on first
 * use (with the heartbeat `configure()` set) and forgotten once it closes (a few
 * seconds after its last subscriber leaves). Every element showing that account
 * shares it.
 *
 * @example
 * ```ts
 * const live = liveConnection(client.apiBase, me.account.id);
 * const unsubscribe = live.subscribe({ onEvent: (data) => console.log(data.type) }, client.tokens);
 * ```
 */
export function liveConnection(apiBase: string, accountId: string): LiveConnection {
  const key = `${apiBase}\n${accountId}`;
  let connection = connections.get(key);
  if (!connection) {
    const { heartbeatSeconds } = getConfig();
    connection = new LiveConnection(`${apiBase}/v1/stream`, {
      heartbeatMs: heartbeatSeconds && heartbeatSeconds * 1000,
      onIdle: () => connections.delete(key),
    });
    connections.set(key, connection);
  }
  return connection;
}
