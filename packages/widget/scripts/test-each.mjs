// Runs each widget test file in its own web-test-runner process: its own server, its own
// Chromium. Files that kill, pause or restart the shared server, or hold streams open, then
// cannot leave the next file starting against a server or browser still recovering (a stall of
// about 40 s at the start of whichever file came next was seen in full-suite runs).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const files = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.test.ts')) files.push(relative(root, path));
  }
})(join(root, 'src'));

const failed = [];
for (const file of files.sort()) {
  const run = spawnSync('npx', ['wtr', '--files', file], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed.push(file);
}
console.log(`\nwidget test files: ${files.length - failed.length} passed, ${failed.length} failed`);
if (failed.length > 0) {
  console.log(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
