// The Node version the root package.json's `engines` asks for (`>=20.19`): older versions lack
// what the build and the tests use (import.meta.dirname, require of ES modules).
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** Checks `process.versions.node` against the root package.json's `engines.node` minimum. */
export function nodeVersion() {
  const [major, minor] = /(\d+)\.(\d+)/.exec(engines.node).slice(1).map(Number);
  const [haveMajor, haveMinor] = process.versions.node.split('.').map(Number);
  if (haveMajor > major || (haveMajor === major && haveMinor >= minor)) return 'ok';
  return `Node ${major}.${minor} or newer is needed, this is ${process.versions.node}: install it from https://nodejs.org (or with nvm).`;
}
