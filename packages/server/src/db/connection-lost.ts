/**
 * postgres.js's own codes for a connection that is gone or could not be made,
 * and the operating system's.
 */
const CLIENT_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOENT',
  'ETIMEDOUT',
]);

/**
 * True when `error` (or what it wraps: drizzle wraps driver errors) says the
 * database could not be reached, rather than that a statement was wrong:
 * SQLSTATE class 08 (connection exception) and 57P01–57P03 (the server is
 * shutting down, restarting or not yet accepting), as during a restart.
 */
export function isConnectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (CLIENT_CODES.has(code) || /^08|^57P0[1-3]$/.test(code))) return true;
    current = current.cause;
  }
  return false;
}
