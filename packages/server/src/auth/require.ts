import type { Permissions } from '@resolutionflow/types';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { forbidden } from '../errors.js';
import { ACTING_USER_HEADER } from './authenticate.js';
import { permissionsOf, type Principal } from './permissions.js';

const REASONS: Record<keyof Permissions, string> = {
  read: 'You cannot read this account',
  create: 'Creating escalations needs the technician role or higher',
  claim: 'Picking up escalations needs the engineer role or higher',
  analytics: 'Analytics need the engineer role or higher',
  manageUsers: 'Managing the roster needs an API key or the admin role',
  manageAccount: 'Account settings need the admin role',
};

/** The principal, after checking it holds `permission`; 403 with a reason otherwise. */
export function requirePermission(c: Context<AppEnv>, permission: keyof Permissions): Principal {
  const principal = c.get('principal');
  if (!permissionsOf(principal)[permission]) throw forbidden(REASONS[permission]);
  return principal;
}

/** The acting user, for changes that must be made by a person. */
export function requireUser(c: Context<AppEnv>): NonNullable<Principal['user']> {
  const { user } = c.get('principal');
  if (!user)
    throw forbidden(`This action must be made by a user; send ${ACTING_USER_HEADER} with the API key`);
  return user;
}
