// The browser the widget and end-to-end tests drive, found the way they find it. Missing on
// Debian as root (CI, a fresh container), it is installed with apt; anywhere else the check says
// what to install, since installing would need a password or another package manager.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium, linuxDistribution, missingChromiumMessage } from '../chromium.mjs';

const canInstallWithApt = () =>
  process.getuid?.() === 0 &&
  !process.env.CHROME_PATH &&
  linuxDistribution() === 'debian' &&
  existsSync('/usr/bin/apt-get');

/** Runs apt-get quietly; the last line of its error output when it fails. */
function aptGet(...args) {
  const run = spawnSync('apt-get', ['-qq', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
  });
  if (run.status === 0) return undefined;
  const lines = `${run.stderr ?? ''}${run.error?.message ?? ''}`.trim().split('\n');
  return `\`apt-get ${args.join(' ')}\`: ${lines.at(-1) || `exit code ${run.status}`}`;
}

/** Finds Chromium, or installs Debian's `chromium` package when running as root on Debian. */
export function chromium() {
  if (findChromium()) return 'ok';
  if (!canInstallWithApt()) return missingChromiumMessage();
  console.log(
    "No Chromium found: installing Debian's chromium package with apt-get (half a minute or more).",
  );
  const failure = aptGet('update') ?? aptGet('install', '-y', 'chromium');
  if (failure) return `Installing Chromium failed: ${failure}`;
  return findChromium() ? 'fixed' : missingChromiumMessage();
}
