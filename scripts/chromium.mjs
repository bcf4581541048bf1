// How every test and benchmark here launches Chromium: Debian's build (CHROME_PATH overrides),
// headless, with the background services off (this network is closed; without these flags
// Chromium floods it with connection attempts).

/** The Chromium binary. */
export const CHROMIUM_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

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
