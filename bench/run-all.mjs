// Runs every benchmark in sequence (each prints its table as it finishes), then a summary of
// which ran and how long each took. `npm run bench` builds first; this file alone does not.
// A failing benchmark is reported and the rest still run; the exit code is then 1.
// Usage: node bench/run-all.mjs [name ...]   (names as in the list below, e.g. widget-size)
import { hostname } from 'node:os';
import { fmt, printTable } from './lib/stats.mjs';
import { machine } from './lib/machine.mjs';

const BENCHMARKS = [
  ['fanout', async () => (await import('./fanout.mjs')).fanout()],
  ['capacity', async () => (await import('./capacity.mjs')).capacity()],
  ['create-throughput', async () => (await import('./create-throughput.mjs')).createThroughput()],
  ['metrics-overhead', async () => (await import('./metrics-overhead.mjs')).metricsOverhead()],
  ['queue-list', async () => (await import('./queue-list.mjs')).queueList()],
  ['cross-instance', async () => (await import('./cross-instance.mjs')).crossInstance()],
  ['widget-size', async () => (await import('./widget-size.mjs')).widgetSize()],
  ['browser-arrival', async () => (await import('./browser-arrival.mjs')).browserArrival()],
  ['browser-pickup', async () => (await import('./browser-pickup.mjs')).browserPickup()],
  ['browser-queue-paging', async () => (await import('./browser-queue-paging.mjs')).browserQueuePaging()],
];

export async function runAll(names = []) {
  const unknown = names.filter((name) => !BENCHMARKS.some(([known]) => known === name));
  if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}`);
  const selected = names.length ? BENCHMARKS.filter(([name]) => names.includes(name)) : BENCHMARKS;
  const info = await machine();
  console.log(
    `Machine ${hostname()}: ${info.cpus} CPUs (${info.cpuModel}), ${info.memory} memory, Node ${info.node}, ${info.chromium}`,
  );
  console.log(`Load average at start: ${info.load}`);
  const results = [];
  for (const [name, run] of selected) {
    console.log(`\n=== ${name} ===`);
    const started = Date.now();
    try {
      await run();
      results.push({ benchmark: name, result: 'ok', seconds: fmt((Date.now() - started) / 1000, 0) });
    } catch (error) {
      console.error(`${name} failed:`, error);
      results.push({
        benchmark: name,
        result: `FAILED: ${error.message}`,
        seconds: fmt((Date.now() - started) / 1000, 0),
      });
    }
  }
  printTable('Benchmarks run', results);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runAll(process.argv.slice(2));
  if (results.some((row) => row.result !== 'ok')) process.exitCode = 1;
}
