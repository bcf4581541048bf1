// A PSA portal's backend, reduced to what an integration needs: it knows who is
// logged in, mints a short-lived ResolutionFlow embed token for them with the
// account's private key, and serves the portal's pages. This is the code a real
// portal writes; everything else here is a stand-in.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbedToken } from '@resolutionflow/server/token';

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, '..');
const PORT = Number(process.env.PORT ?? 5174);
const RF_API = process.env.RF_API ?? 'http://127.0.0.1:8787';
const WIDGET = process.env.RF_WIDGET_FILE ?? join(examples, '../packages/widget/dist/resolutionflow.js');

// The account's private signing key (a JWK with its kid). In production it comes
// from the portal's secret store; the demo server writes its key to ./data (read
// on first use, so this can start before the demo has written it).
const keyFile = process.env.RF_SIGNING_KEY_FILE ?? join(examples, '../data/demo-signing-key.json');
let signingKey;
async function loadSigningKey() {
  signingKey ??= JSON.parse(process.env.RF_SIGNING_KEY ?? (await readFile(keyFile, 'utf8')));
  return signingKey;
}

// Stand-in for the portal's login session: who is using the page.
const PORTAL_USERS = {
  sam: { id: 'demo-sam', name: 'Sam Rivera', email: 'sam@demo-msp.example', role: 'engineer' },
  alex: { id: 'demo-alex', name: 'Alex Kim', email: 'alex@demo-msp.example', role: 'technician' },
};

/** GET /rf-token: the one endpoint a portal adds. Answers `{ token }` for the logged-in user. */
async function mintToken(request, response) {
  const url = new URL(request.url, 'http://portal');
  const user = PORTAL_USERS[url.searchParams.get('as') ?? 'sam'] ?? PORTAL_USERS.sam;
  let privateKey;
  try {
    privateKey = await loadSigningKey();
  } catch {
    response.writeHead(503, { 'Content-Type': 'application/json' });
    return response.end(
      JSON.stringify({ error: `No signing key at ${keyFile}: start the demo first (npm start)` }),
    );
  }
  const token = await createEmbedToken({ privateKey, user, role: user.role, ttl: 300 });
  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify({ token }));
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** A strict policy: no inline script or style, no eval, scripts only from here, API calls only to ResolutionFlow. */
const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  `connect-src 'self' ${new URL(RF_API).origin}`,
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

async function serveFile(response, file, headers = {}) {
  try {
    let body = await readFile(file);
    if (extname(file) === '.html') body = body.toString('utf8').replaceAll('%RF_API%', RF_API);
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...headers,
    });
    response.end(body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  }
}

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url, 'http://portal');
  if (pathname === '/rf-token') return mintToken(request, response);
  if (pathname === '/widget/resolutionflow.js') return serveFile(response, WIDGET);
  if (pathname === '/') return serveFile(response, join(examples, 'script-tag/index.html'));
  const [, folder, ...rest] = pathname.split('/');
  if (folder === 'script-tag' || folder === 'strict-csp') {
    const file = normalize(join(examples, folder, rest.join('/') || 'index.html'));
    if (!file.startsWith(join(examples, folder))) return response.writeHead(400).end();
    const headers = folder === 'strict-csp' ? { 'Content-Security-Policy': STRICT_CSP } : {};
    return serveFile(response, file, headers);
  }
  response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`Portal (host backend) on http://127.0.0.1:${PORT} — ResolutionFlow API at ${RF_API}`);
  console.log(`  script-tag example: http://127.0.0.1:${PORT}/script-tag/`);
  console.log(`  strict-CSP example: http://127.0.0.1:${PORT}/strict-csp/`);
});
