// The demo server (DEMO_MODE=true) on a temp SQLite file, for the browser benchmarks: it
// serves the demo page at / (the script-tag build of the widget) and /demo/token.
import { startResolutionFlow, tempDatabasePath } from './servers.mjs';

/** Starts the built server in demo mode with the offline rule-based assessor. */
export async function startDemoServer(env = {}) {
  const db = tempDatabasePath();
  const server = await startResolutionFlow({
    databasePath: db.path,
    env: { DEMO_MODE: 'true', AI_PROVIDER: 'rules', ...env },
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      db.remove();
    },
  };
}

/** A fresh embed token for a demo persona: alex (technician), sam / jordan (engineers), priya (admin). */
export async function demoToken(url, persona) {
  const response = await fetch(`${url}/demo/token?persona=${persona}`);
  if (!response.ok) throw new Error(`/demo/token answered ${response.status}`);
  return (await response.json()).token;
}

/** A small JSON API client for the benchmark's own requests (from Node). */
export function apiAs(url, token) {
  const call = async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json().catch(() => null);
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
