// Where the tests find the PostgreSQL server binaries for their throwaway cluster: the directory
// `pg_config --bindir` names, then Debian's /usr/lib/postgresql/<version>/bin, newest first. Only a
// directory holding all three programs counts: `pg_config` also ships with the client library
// (libpq-dev), where its bindir has no server.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The programs the test cluster runs: initdb creates it, pg_ctl starts and stops `postgres`. */
const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const pgConfigBinDir = () => {
  const run = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
};

/** Debian's versioned install directories, newest major version first. */
const debianBinDirs = (root = '/usr/lib/postgresql') => {
  try {
    return readdirSync(root)
      .filter((version) => /^\d+(\.\d+)?$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => join(root, version, 'bin'));
  } catch {
    return [];
  }
};

/**
 * The directory holding initdb, pg_ctl and postgres, or `undefined` when there is none.
 *
 * @example
 * ```js
 * const bin = findPgBinDir(); // '/usr/lib/postgresql/15/bin' on Debian
 * ```
 */
export function findPgBinDir() {
  const candidates = [pgConfigBinDir(), ...debianBinDirs()].filter(Boolean);
  return candidates.find((dir) => SERVER_PROGRAMS.every((program) => isExecutable(join(dir, program))));
}

/** One line saying that no PostgreSQL server was found and what to install or set instead. */
export function missingPostgresMessage() {
  const install =
    process.platform === 'darwin'
      ? 'run `brew install postgresql@15`'
      : 'install PostgreSQL 15 (Debian: `sudo apt-get install postgresql-15`)';
  return (
    `No PostgreSQL server binaries found (initdb, pg_ctl, postgres; pg_config --bindir, /usr/lib/postgresql): ` +
    `${install}, set TEST_DATABASE_URL to a server the tests may create databases on, or set TEST_DIALECTS=sqlite.`
  );
}
