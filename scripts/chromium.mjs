// How every test and benchmark here finds and launches Chromium: CHROME_PATH when set, otherwise
// the first Chromium or Google Chrome on PATH or in its usual install location (Linux, macOS), so
// a machine that has either runs the tests unconfigured. Headless, with the background services
// off (this network is closed; without these flags Chromium floods it with connection attempts).
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Command names of Chromium-based browsers, looked up on PATH. */
const COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Install locations, for a PATH that lacks them (sudo, cron, a trimmed CI shell) and for macOS. */
const LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  join(homedir(), 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
  join(homedir(), 'Applications/Chromium.app/Contents/MacOS/Chromium'),
];

/** Launch flags for a sandbox-less, quiet, headless Chromium. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const isExecutableFile = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * The browser the tests would launch, or `undefined` when there is none. A set CHROME_PATH is the
 * only candidate: a wrong one is reported, never silently replaced by another browser.
 *
 * @example
 * ```js
 * const path = findChromium(); // '/usr/bin/chromium' on Debian
 * ```
 */
export function findChromium(env = process.env) {
  if (env.CHROME_PATH) return isExecutableFile(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => COMMANDS.map((command) => join(dir, command)));
  return [...onPath, ...LOCATIONS].find(isExecutableFile);
}

/** The Linux distribution's id from /etc/os-release (`debian`, `ubuntu`…), or '' when unknown. */
export function linuxDistribution() {
  try {
    return /^ID="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

/** One line saying why no browser was found and what to install or set, for this platform. */
export function missingChromiumMessage(env = process.env) {
  if (env.CHROME_PATH)
    return `CHROME_PATH is ${env.CHROME_PATH}, which is not an executable file: fix or unset it.`;
  const install =
    process.platform === 'darwin'
      ? 'install Google Chrome (https://www.google.com/chrome/)'
      : ({
          debian: 'run `sudo apt-get install chromium`',
          ubuntu: 'run `sudo snap install chromium`',
        }[linuxDistribution()] ?? 'install Chromium with your package manager');
  return `No Chromium or Google Chrome found (CHROME_PATH, PATH, usual locations): ${install}, or set CHROME_PATH to one.`;
}

/**
 * The browser for a launcher (Playwright, web-test-runner, the benchmarks). Throws the one-line
 * explanation when there is none; `npm test` has normally said it already, before building.
 *
 * @example
 * ```js
 * chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
 * ```
 */
export function chromiumPath() {
  const path = findChromium();
  if (!path) throw new Error(missingChromiumMessage());
  return path;
}
