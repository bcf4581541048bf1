// What the tests need from the machine, checked before anything is built, so that something
// missing costs one line in the first second instead of an error after minutes of other tests.
// Runs first in `npm test`, `npm run test:e2e` and the widget's `npm test`.
//
// A check is a function answering 'ok', 'fixed' (it set the piece up itself, having said so in
// one line) or one line saying what to install or set; the first such line stops the run. Another
// prerequisite is one more module in scripts/prereqs/ and one more entry below.
import { chromium } from './prereqs/chromium.mjs';
import { nodeVersion } from './prereqs/node-version.mjs';
import { postgres } from './prereqs/postgres.mjs';

const CHECKS = [nodeVersion, chromium, postgres];

for (const check of CHECKS) {
  const result = await check();
  if (result === 'ok' || result === 'fixed') continue;
  console.error(result);
  process.exit(1);
}
