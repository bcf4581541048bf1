#!/usr/bin/env node
// Fails when a dialect's schema and its committed migrations disagree: drizzle-kit generates into a
// copy of the migrations folder, and any new migration it writes there is a change nobody generated.
// Run by `npm run lint`; fix with `npm run db:generate -w @resolutionflow/server`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIALECTS = [
  { name: 'sqlite', dialect: 'sqlite', schema: 'src/db/schema.ts', out: 'drizzle/sqlite' },
  { name: 'postgres', dialect: 'postgresql', schema: 'src/db/postgres/schema.ts', out: 'drizzle/postgres' },
];

let failed = false;
for (const { name, dialect, schema, out } of DIALECTS) {
  const copy = mkdtempSync(join(tmpdir(), `rf-migrations-${name}-`));
  try {
    cpSync(join(root, out), copy, { recursive: true });
    const before = new Set(readdirSync(copy));
    const run = spawnSync(
      'npx',
      // drizzle-kit reads --out relative to the working directory, even an absolute one.
      [
        'drizzle-kit',
        'generate',
        '--dialect',
        dialect,
        '--schema',
        schema,
        '--out',
        relative(root, copy),
        '--name',
        'check',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const added = readdirSync(copy).filter((file) => !before.has(file));
    // drizzle-kit can exit 0 after an error: only its own "nothing to migrate" counts as a pass.
    if (added.length === 0 && (run.status !== 0 || !/No schema changes/.test(run.stdout + run.stderr))) {
      process.stderr.write(`drizzle-kit failed on the ${name} schema:\n${run.stdout}${run.stderr}`);
      failed = true;
      continue;
    }
    if (added.length > 0) {
      process.stderr.write(
        `The ${name} schema (${schema}) has changes its migrations (${out}) lack: run \`npm run db:generate -w @resolutionflow/server\` and commit the result.\n`,
      );
      failed = true;
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
if (failed) process.exit(1);
process.stdout.write('migrations match both schemas\n');
