/**
 * Widget tests: headless Chromium against a real ResolutionFlow server started
 * for the run (see test/test-server.mjs), every file in this one process. Files
 * run one at a time, because some restart or freeze the shared server. They run
 * in one page, which web-test-runner navigates to about:blank between files:
 * the page left behind goes into the back-forward cache, and the live
 * connection lets go of its streams there (on `freeze`), or it would hold the
 * browser's six connections to the server from the next file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.mjs';
import { AiStub } from './test/ai-stub.mjs';
import { freePort, TestServer, testServerPlugin } from './test/test-server.mjs';

// Before the server starts: without a browser there is nothing to start it for.
const executablePath = chromiumPath();
const port = await freePort();
const ai = new AiStub();
const server = new TestServer({
  origins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
  aiBaseUrl: await ai.start(),
});
await server.init();
for (const signal of ['SIGINT', 'SIGTERM', 'exit']) process.once(signal, () => server.child?.kill('SIGKILL'));

export default {
  rootDir: resolve(import.meta.dirname, '../..'),
  files: ['src/**/*.test.ts'],
  port,
  hostname: 'localhost',
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 20_000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: resolve(import.meta.dirname, 'tsconfig.esbuild.json'),
    }),
    testServerPlugin(server, ai),
    {
      name: 'rf-test-server-stop',
      async serverStop() {
        await server.stop();
        ai.stop();
      },
    },
  ],
  browsers: [
    chromeLauncher({
      // "Copy summary" writes to the clipboard, which a page may only do with permission.
      async createPage({ context }) {
        await context.overridePermissions(`http://localhost:${port}`, [
          'clipboard-read',
          'clipboard-sanitized-write',
        ]);
        return context.newPage();
      },
      launchOptions: {
        executablePath,
        headless: true,
        userDataDir: mkdtempSync(join(tmpdir(), 'rf-chromium-')),
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
