import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium.mjs';

// One data folder per run, shared by the main process and its workers through the environment.
process.env.RF_E2E_DIR ??= mkdtempSync(join(tmpdir(), 'rf-e2e-'));
const dataDir = process.env.RF_E2E_DIR;
const SERVER_PORT = Number(process.env.RF_E2E_PORT ?? 18787);
const PORTAL_PORT = Number(process.env.RF_E2E_PORTAL_PORT ?? 5174);
export const SERVER = `http://127.0.0.1:${SERVER_PORT}`;
export const PORTAL = `http://127.0.0.1:${PORTAL_PORT}`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: SERVER,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },
  webServer: [
    {
      command: 'node packages/server/dist/cli.js serve --demo',
      url: `${SERVER}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(SERVER_PORT),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(dataDir, 'demo.db'),
        LOG_LEVEL: 'warn',
        SSE_HEARTBEAT_SECONDS: '5',
        // A portal on another port (RF_E2E_PORTAL_PORT, so runs side by side do not collide) must be allowed.
        ...(process.env.RF_E2E_PORTAL_PORT ? { DEMO_ALLOWED_ORIGINS: PORTAL } : {}),
        // The owner's policy test sets a 1-second step and watches the card get marked.
        POLICY_POLL_SECONDS: '0.5',
      },
    },
    {
      command: 'node examples/host-backend/server.mjs',
      url: `${PORTAL}/script-tag/`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(PORTAL_PORT),
        RF_API: SERVER,
        RF_SIGNING_KEY_FILE: join(dataDir, 'demo-signing-key.json'),
      },
    },
  ],
});
