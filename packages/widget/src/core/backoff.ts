/**
 * How long to wait before reconnect attempt number `failures` (1 for the first
 * retry): exponential from `baseMs`, capped at `capMs`, with "equal jitter"
 * (half fixed, half random) so a restarted server is not hit by every client
 * at the same instant.
 *
 * @example
 * ```ts
 * backoffDelay(1); // 500–1000 ms
 * backoffDelay(9); // 15–30 s
 * ```
 */
export function backoffDelay(failures: number, baseMs = 1000, capMs = 30_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
