import type { Permissions } from '@resolutionflow/types';
import { forbidden } from '../errors.js';
import { ACTING_USER_HEADER } from './authenticate.js';
import { permissionsOf, type Principal } from './permissions.js';

/** The part of a request's context these checks read: who is asking. */
interface WithPrincipal {
  get(key: 'principal'): Principal;
}

const REASONS: Record<keyof Permissions, string> = {
  read: 'You cannot read this account',
  create: 'Creating escalations needs the technician role or higher',
  claim: 'Picking up escalations needs the engineer role or higher',
  analytics: 'Analytics need the engineer role or higher',
  manageUsers: 'Managing the roster needs an API key or the admin role',
  manageAccount: 'Account settings need the admin role',
};

/** The principal, after checking it holds `permission`; 403 with a reason otherwise. */
export function requirePermission(c: WithPrincipal, permission: keyof Permissions): Principal {
  const principal = c.get('principal');
  if (!permissionsOf(principal)[permission]) throw forbidden(REASONS[permission]);
  return principal;
}

/** The acting user, for changes that must be made by a person. */
export function requireUser(c: WithPrincipal): NonNullable<Principal['user']> {
  const { user } = c.get('principal');
  if (!user)
    throw forbidden(`This action must be made by a user; send ${ACTING_USER_HEADER} with the API key`);
  return user;
}
