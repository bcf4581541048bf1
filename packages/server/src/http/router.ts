import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorResponseSchema } from '@resolutionflow/types';
import type { AppEnv } from '../app-env.js';
import { validationError } from '../errors.js';

/** A router for one resource: validation failures become 400s naming the fields. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

/** An error response (the API's error JSON) with what it means. */
export const errorContent = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorResponseSchema } },
});

/** The error responses every authenticated route can return. */
export const AUTH_ERRORS = {
  400: errorContent('Invalid input; `details.fields` names each field'),
  401: errorContent('Missing, invalid or expired token'),
  403: errorContent('Not allowed for this role or origin'),
  429: errorContent('Too many writes; see `Retry-After`'),
} as const;

/** Responses of routes that address one handoff. */
export const HANDOFF_ERRORS = {
  ...AUTH_ERRORS,
  404: errorContent('No such handoff in this account'),
  409: errorContent('The handoff is not in a state that allows this'),
} as const;

/** A JSON response of the given schema. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body of the given schema. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** Bearer auth, declared on every authenticated route. */
export const BEARER = [{ bearerAuth: [] }];
