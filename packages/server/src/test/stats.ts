/** The nearest-rank percentile (0–100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p50 / p99 / max of latencies in ms, as printed by the reliability tests. */
export function latencySummary(values: readonly number[]): {
  p50: number;
  p99: number;
  max: number;
  text: string;
} {
  const p50 = percentile(values, 50);
  const p99 = percentile(values, 99);
  const max = percentile(values, 100);
  return {
    p50,
    p99,
    max,
    text: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
  };
}

/** Megabytes with one decimal, for printed figures. */
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The latency bound the reliability tests assert: within `ratio` of the
 * baseline's p99, plus `slackMs` of scheduling noise. At p99s of 10–30 ms on a
 * shared 2-core machine, one time slice of another process is several ms,
 * more than 20% of the figure itself; the slack absorbs that, not a real cost.
 */
export function latencyBound(baselineP99: number, ratio = 1.2, slackMs = 10): number {
  return baselineP99 * ratio + slackMs;
}
