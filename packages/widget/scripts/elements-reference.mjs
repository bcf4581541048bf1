// Writes docs/elements.md from the elements' JSDoc, so the reference cannot drift from the code.
// The manifest comes from the same analysis as `cem analyze` (custom-elements-manifest.config.mjs),
// run in memory: `--check` then works on a clean checkout, before any build.
// Usage: node packages/widget/scripts/elements-reference.mjs [--check]
//   (the widget's build writes it; `npm run lint` runs --check, which fails when the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';
import { elementsMarkdown } from './elements-markdown.mjs';

const widget = join(import.meta.dirname, '..');
const repo = join(widget, '../..');
const target = join(repo, 'docs/elements.md');
const command = `node ${relative(repo, import.meta.filename)}`;

// The analyzer reads its config from `cwd`, but updates the `customElements` field of the
// package.json in the process's working directory: in the widget, that field already matches.
process.chdir(widget);
const manifest = await cli({ argv: ['analyze', '--quiet'], cwd: widget, noWrite: true });
const { name, exports } = JSON.parse(readFileSync(join(widget, 'package.json'), 'utf8'));
const markdown = elementsMarkdown(manifest, (tag) => (exports[`./${tag}`] ? `${name}/${tag}` : ''));

let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // missing: stale
}
if (current === markdown) process.exit(0);
if (process.argv.includes('--check')) {
  console.error(`docs/elements.md is stale (the elements' JSDoc changed): run \`${command}\` and commit it.`);
  process.exit(1);
}
writeFileSync(target, markdown);
console.log(`${relative(repo, target)} updated from the elements' JSDoc.`);
