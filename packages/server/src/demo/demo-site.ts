import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../app-env.js';

/** The demo page's own files (HTML, CSS, JS), shipped beside `dist/`. */
const PAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../demo-page');

/** Where the widget's built files are: the installed package, or the monorepo sibling. */
function widgetDist(): string {
  try {
    return dirname(fileURLToPath(import.meta.resolve('@resolutionflow/widget')));
  } catch {
    return join(PAGE_ROOT, '../../widget/dist');
  }
}

/**
 * The hosted demo (demo mode only): the page at `/`, its assets, and the
 * widget's script-tag build, all under a strict Content-Security-Policy — no
 * inline script or style, nothing from other origins.
 */
export function demoSite(): Hono<AppEnv> {
  const site = new Hono<AppEnv>();
  const widget = widgetDist();
  site.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  site.get('/', serveStatic({ path: join(PAGE_ROOT, 'index.html') }));
  site.get(
    '/demo-assets/*',
    serveStatic({ root: PAGE_ROOT, rewriteRequestPath: (path) => path.replace(/^\/demo-assets/, '') }),
  );
  site.get('/widget/*', async (c, next) => {
    if (!existsSync(join(widget, 'resolutionflow.js'))) {
      return c.text('The widget is not built yet: run `npm run build` (npm start does it for you).', 503);
    }
    return serveStatic({ root: widget, rewriteRequestPath: (path) => path.replace(/^\/widget/, '') })(
      c,
      next,
    );
  });
  return site;
}
