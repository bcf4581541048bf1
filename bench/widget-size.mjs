// Widget size, min+gzip (node:zlib gzip level 9), against lit + @microsoft/fetch-event-source alone,
// bundled and minified the same way as the script-tag file (the widget's vite config, `--mode iife`,
// terser) in the same run. Needs `npm run build` first. Usage: node bench/widget-size.mjs
//
// Rows:
//   baseline      lit + fetch-event-source re-exported whole from a tiny entry, built as an IIFE
//   floor         the same plus what the widget also takes from the Lit family (decorators,
//                 the repeat directive): the framework code no widget build can drop
//   IIFE          dist/resolutionflow.js as built (already minified): the <script> tag file
//   ESM own code  an element's ESM entry and every chunk it statically imports under dist/,
//                 each file minified with terser (no property mangling across files) and
//                 gzipped separately, summed: what a page fetches besides Lit
//   ESM + deps    the same entry bundled with its dependencies by the iife config, as ES module
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { fmt, printTable } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'packages/widget/dist');
const BUDGET = 20 * 1024;
const AIM = 16 * 1024;

export const gzipSize = (code) => gzipSync(code, { level: 9 }).length;
const kb = (bytes) => fmt(bytes / 1024, 2);

/** vite as the widget package has it installed (it is not hoisted to the root). */
async function loadVite() {
  const require = createRequire(join(root, 'packages/widget/package.json'));
  const packageJson = require.resolve('vite/package.json');
  const { exports } = JSON.parse(readFileSync(packageJson, 'utf8'));
  const entry = typeof exports['.'] === 'string' ? exports['.'] : exports['.'].import;
  return import(pathToFileURL(join(dirname(packageJson), entry)).href);
}

/**
 * Bundles `code` (an entry module) with the widget's vite config in iife mode — the settings of
 * dist/resolutionflow.js: terser, two compress passes, `_private` property mangling — into a temp
 * folder, and returns the output. The temp folder sits under node_modules/.cache so that the
 * entry's bare imports resolve to the installed packages; it is removed afterwards.
 */
async function bundleLikeTheScriptTag(vite, code, format) {
  const cache = join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'rf-bench-size-'));
  try {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, code);
    const { config } = await vite.loadConfigFromFile(
      { command: 'build', mode: 'iife' },
      join(root, 'packages/widget/vite.config.ts'),
    );
    await vite.build({
      ...config,
      configFile: false,
      logLevel: 'silent',
      build: {
        ...config.build,
        outDir: join(dir, 'out'),
        emptyOutDir: true,
        sourcemap: false,
        lib: { entry, name: 'Bench', formats: [format], fileName: () => 'bundle.js' },
        rollupOptions: { ...config.build.rollupOptions, external: [] },
      },
    });
    const out = join(dir, 'out');
    const files = readdirSync(out, { recursive: true }).filter((file) => String(file).endsWith('.js'));
    return files.map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STATIC_IMPORT = /(?:^|[\n;])\s*(?:import|export)\s*(?:[\w*${}\s,]*?\bfrom\s*)?["']([^"']+)["']/g;

/** The entry and every file under dist/ it statically imports (transitively); bare imports apart. */
export function staticGraph(entryFile) {
  const files = new Set();
  const external = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(file, 'utf8');
    for (const [, specifier] of code.matchAll(STATIC_IMPORT)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(entryFile);
  return { files: [...files], external: [...external] };
}

export async function widgetSize() {
  const vite = await loadVite();
  const baselineCode = await bundleLikeTheScriptTag(
    vite,
    "export * from 'lit';\nexport * from '@microsoft/fetch-event-source';\n",
    'iife',
  );
  const floorCode = await bundleLikeTheScriptTag(
    vite,
    [
      "export * from 'lit';",
      "export * from 'lit/decorators.js';",
      "export { repeat } from 'lit/directives/repeat.js';",
      "export * from '@microsoft/fetch-event-source';",
    ].join('\n'),
    'iife',
  );
  const baseline = gzipSize(baselineCode);

  const rows = [];
  const externals = new Set();
  const row = (artifact, files, minBytes, gzipBytes, goal = '') =>
    rows.push({
      artifact,
      files,
      'min KB': kb(minBytes),
      'min+gzip KB': kb(gzipBytes),
      'vs baseline': `${fmt(gzipBytes / baseline, 2)}×`,
      goal,
    });
  row('baseline: lit + fetch-event-source (IIFE, same build)', 1, Buffer.byteLength(baselineCode), baseline);
  row('floor: baseline + lit decorators, repeat', 1, Buffer.byteLength(floorCode), gzipSize(floorCode));

  const iife = readFileSync(join(dist, 'resolutionflow.js'));
  const iifeGzip = gzipSize(iife);
  row(
    'resolutionflow.js (IIFE, <script> tag, all three elements)',
    1,
    iife.length,
    iifeGzip,
    `≤ 20 KB: ${iifeGzip <= BUDGET ? 'met' : 'MISSED'} (aim 16 KB: ${iifeGzip <= AIM ? 'met' : 'not yet'})`,
  );

  for (const name of ['escalation-queue', 'handoff-context', 'escalation-metrics']) {
    const { files, external } = staticGraph(join(dist, `${name}.js`));
    let minBytes = 0;
    let gzipBytes = 0;
    for (const file of files) {
      const { code } = await minify(readFileSync(file, 'utf8'), {
        module: true,
        ecma: 2020,
        compress: { passes: 2 },
      });
      minBytes += Buffer.byteLength(code);
      gzipBytes += gzipSize(code);
    }
    external.forEach((specifier) => externals.add(specifier));
    row(`${name}.js (ESM, own code: entry + chunks)`, files.length, minBytes, gzipBytes);
    const bundled = await bundleLikeTheScriptTag(
      vite,
      `import ${JSON.stringify(join(dist, `${name}.js`))};\n`,
      'es',
    );
    row(`${name}.js (ESM + its dependencies, bundled)`, 1, Buffer.byteLength(bundled), gzipSize(bundled));
  }

  printTable('Widget size, min+gzip (gzip -9; KB = 1,024 bytes) — goal: IIFE ≤ 20 KB', rows);
  console.log(`ESM "own code" leaves out what it imports from packages: ${[...externals].join(', ')}`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await widgetSize();
