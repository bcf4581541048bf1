import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { findChromium } from '../../scripts/chromium.mjs';

/** What the figures were measured on: CPUs, memory, Node, Chromium, and the load right now. */
export async function machine() {
  let chromium = 'Chromium: not found';
  try {
    const { stdout } = await promisify(execFile)(findChromium(), ['--version']);
    chromium = stdout.trim();
  } catch {
    // reported as not found
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    chromium,
    load: loadavg()
      .map((value) => value.toFixed(2))
      .join(' '),
  };
}
