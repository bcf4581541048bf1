/**
 * Builds of @resolutionflow/widget. Two passes, because one IIFE cannot have
 * several entries:
 *   vite build --mode esm   the npm build: one ES module per entry, dependencies external
 *   vite build --mode iife  dist/resolutionflow.js, one self-contained file for a <script> tag
 * Declarations come from `tsc -b`; the manifest from the CEM analyzer.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { decorateHelper } from './scripts/decorate-helper.js';
import { minifyTemplates, reactiveNames } from './scripts/minify-templates.js';

const widget = import.meta.dirname;
const src = (file: string) => resolve(widget, 'src', file);

/** The npm entry points; each maps to `dist/<name>.js` and an `exports` key in package.json. */
export const esmEntries = {
  index: src('index.ts'),
  core: src('core/index.ts'),
  define: src('define-all.ts'),
  'escalation-queue': src('escalation-queue/escalation-queue.ts'),
  'handoff-context': src('handoff-context/handoff-context.ts'),
  'escalation-metrics': src('escalation-metrics/escalation-metrics.ts'),
};

export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    root: widget,
    publicDir: false,
    plugins: [minifyTemplates(), decorateHelper()],
    logLevel: 'warn',
    build: {
      outDir: resolve(widget, 'dist'),
      emptyOutDir: false,
      target: 'es2022',
      // The script tag's map ships beside it without a `sourceMappingURL` comment (29 B of the
      // gzipped budget); devtools load it when pointed at it. The npm build keeps the comment.
      sourcemap: iife ? 'hidden' : true,
      // The npm build stays readable (the app's bundler minifies); the script tag ships minified.
      minify: iife ? 'terser' : false,
      terserOptions: {
        ecma: 2020,
        // Our code has no getters with side effects, so property reads may be dropped or reordered.
        compress: { passes: 3, pure_getters: true },
        // Our `_private` members get short names. Lit's protocol names (`_$litType$`) do not
        // match; decorated fields are reserved, since Lit registers them by name as strings.
        mangle: { properties: { regex: /^_[a-z]/, reserved: reactiveNames(src('.')) } },
      },
      lib: iife
        ? {
            entry: src('resolutionflow.ts'),
            name: 'ResolutionFlow',
            formats: ['iife'],
            fileName: () => 'resolutionflow.js',
          }
        : { entry: esmEntries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
      rollupOptions: {
        // npm consumers share one Lit with the rest of their app.
        external: iife ? [] : [/^lit($|\/)/, /^@lit\//, /^@microsoft\/fetch-event-source/],
        output: { chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  };
});
