/**
 * `npm run size`: the script-tag file's size, min+gzip, against its budget
 * (fails above it), and what each element costs on its own as an ES module,
 * built with the same settings (Lit included, and without its dependencies).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, loadConfigFromFile } from 'vite';

const BUDGET = 20 * 1024;
const AIM = 16 * 1024;
const root = resolve(import.meta.dirname, '..');
const configFile = resolve(root, 'vite.config.ts');

const gzip = (code) => gzipSync(code, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** One entry bundled alone, minified like the script tag, measured in memory. */
async function measure(entry, external) {
  const { config } = await loadConfigFromFile({ command: 'build', mode: 'iife' }, configFile);
  const output = await build({
    ...config,
    configFile: false,
    logLevel: 'silent',
    build: {
      ...config.build,
      write: false,
      sourcemap: false,
      lib: { entry: resolve(root, 'src', entry), formats: ['es'], fileName: 'entry' },
      rollupOptions: { external: external ? [/^lit($|\/)/, /^@lit\//, /^@microsoft\//] : [] },
    },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output);
  return gzip(chunks.map((chunk) => chunk.code ?? '').join('\n'));
}

const script = readFileSync(resolve(root, 'dist/resolutionflow.js'));
const scriptSize = gzip(script);
console.log(
  `dist/resolutionflow.js (script tag, all three elements): ${kb(script.length)} min, ${kb(scriptSize)} min+gzip`,
);
console.log(`  budget ${kb(BUDGET)}, aim ${kb(AIM)}\n`);

console.log('ES modules, one entry each, min+gzip:          with Lit   own code');
const entries = [
  ['escalation-queue (defines handoff-context too)', 'escalation-queue/escalation-queue.ts'],
  ['handoff-context', 'handoff-context/handoff-context.ts'],
  ['escalation-metrics', 'escalation-metrics/escalation-metrics.ts'],
  ['core (no Lit)', 'core/index.ts'],
];
for (const [name, entry] of entries) {
  const [whole, own] = [await measure(entry, false), await measure(entry, true)];
  console.log(`  ${name.padEnd(46)}${kb(whole).padStart(9)}${kb(own).padStart(11)}`);
}

if (scriptSize > BUDGET) {
  console.error(`\nThe script-tag file is ${kb(scriptSize - BUDGET)} over its ${kb(BUDGET)} budget.`);
  process.exit(1);
}
