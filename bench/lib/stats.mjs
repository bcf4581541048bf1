import { readFileSync } from 'node:fs';

/** Nearest-rank percentile of numbers (sorted or not). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Resident set size of a process in bytes (Linux). */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * CPU time (user + system) a process has used so far, in ms (Linux, clock ticks of 10 ms: read
 * it around many operations, not one).
 */
export function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: state is the 3rd field, utime the 14th, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export const fmt = (value, digits = 1) =>
  typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(digits) : 'n/a') : String(value);

/** Prints rows (objects with the same keys) as an aligned text table. */
export function printTable(title, rows) {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]);
  const cells = rows.map((row) => headers.map((h) => String(row[h])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values) => values.map((v, i) => v.padEnd(widths[i])).join('  ');
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

/** Resolves after `ms`: only for pacing load, never to wait for an outcome. */
export const pace = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
