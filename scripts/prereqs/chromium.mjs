// The browser the widget and end-to-end tests drive, found the way they find it. Missing on
// Debian as root (CI, a fresh container), it is installed with apt; anywhere else the check says
// what to install, since installing would need a password or another package manager.
import { findChromium, missingChromiumMessage } from '../chromium.mjs';
import { aptGet, canInstallWithApt } from './apt.mjs';

/** Finds Chromium, or installs Debian's `chromium` package when running as root on Debian. */
export function chromium() {
  if (findChromium()) return 'ok';
  if (process.env.CHROME_PATH || !canInstallWithApt()) return missingChromiumMessage();
  console.log(
    "No Chromium found: installing Debian's chromium package with apt-get (half a minute or more).",
  );
  const failure = aptGet('update') ?? aptGet('install', '-y', 'chromium');
  if (failure) return `Installing Chromium failed: ${failure}`;
  return findChromium() ? 'fixed' : missingChromiumMessage();
}
