// Installing a missing test prerequisite with Debian's apt-get: only as root on Debian (CI, a
// fresh container), where it needs no password; anywhere else the checks say what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { linuxDistribution } from '../chromium.mjs';

/** Whether this process may install packages itself: root on Debian with apt-get present. */
export const canInstallWithApt = () =>
  process.getuid?.() === 0 && linuxDistribution() === 'debian' && existsSync('/usr/bin/apt-get');

/** Runs apt-get quietly; `undefined` on success, else one line: the last line of its error output. */
export function aptGet(...args) {
  const run = spawnSync('apt-get', ['-qq', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
  });
  if (run.status === 0) return undefined;
  const lines = `${run.stderr ?? ''}${run.error?.message ?? ''}`.trim().split('\n');
  return `\`apt-get ${args.join(' ')}\`: ${lines.at(-1) || `exit code ${run.status}`}`;
}
