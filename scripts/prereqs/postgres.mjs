// The PostgreSQL server the server's tests start a throwaway cluster from (or an existing server
// named by TEST_DATABASE_URL). Missing on Debian as root (CI, a fresh container), postgresql-15 is
// installed with apt; anywhere else the check says what to install or set. Runs with no
// dependencies installed: it is the first thing `.ci/run` does.
import { findPgBinDir, missingPostgresMessage } from '../postgres.mjs';
import { aptGet, canInstallWithApt } from './apt.mjs';

/** Whether this run tests on PostgreSQL at all; TEST_DIALECTS lists the dialects, both by default. */
const wantsPostgres = (env) => (env.TEST_DIALECTS ?? 'sqlite,postgres').split(',').includes('postgres');

/** Finds PostgreSQL server binaries, or installs Debian's `postgresql-15` as root on Debian. */
export function postgres(env = process.env) {
  if (!wantsPostgres(env) || env.TEST_DATABASE_URL || findPgBinDir()) return 'ok';
  if (!canInstallWithApt()) return missingPostgresMessage();
  console.log("No PostgreSQL server found: installing Debian's postgresql-15 package with apt-get.");
  // A fresh container has no package lists: `install` fails on them alone, so update only then.
  let failure = aptGet('install', '-y', 'postgresql-15');
  if (failure) failure = aptGet('update') ?? aptGet('install', '-y', 'postgresql-15');
  if (failure) return `Installing PostgreSQL failed: ${failure}`;
  return findPgBinDir() ? 'fixed' : missingPostgresMessage();
}
