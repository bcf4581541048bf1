import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { ApiError } from './errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Refuses a JSON body that is not valid UTF-8. Left alone, the body would be
 * decoded with U+FFFD in place of the bad bytes and stored changed, silently.
 * Hono caches the body read here, so the validator does not read it twice.
 */
export function strictUtf8Json() {
  return createMiddleware<AppEnv>(async function strictUtf8JsonMiddleware(c, next) {
    const type = c.req.header('Content-Type') ?? '';
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /json/i.test(type)) {
      const bytes = await c.req.arrayBuffer();
      try {
        decoder.decode(bytes);
      } catch {
        throw new ApiError(400, 'invalid_json', 'The request body is not valid UTF-8');
      }
    }
    await next();
  });
}
