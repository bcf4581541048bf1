import type { Permissions, Role } from '@resolutionflow/types';
import { ROLES } from '@resolutionflow/types';

/** The authenticated caller of a request. */
export interface Principal {
  kind: 'embed_token' | 'api_key';
  accountId: string;
  /** The person acting; null for an API key that does not act as a user. */
  user: { id: string; name: string; email: string | null; role: Role } | null;
  /** What rate limits and stream caps are counted against. */
  rateKey: string;
  /** When the credential stops being valid (ms), for streams; null for API keys. */
  expiresAt: number | null;
}

/** True when `role` is at least `minimum` in viewer < technician < engineer < admin. */
export function atLeast(role: Role | undefined, minimum: Role): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** The permission matrix of DESIGN §4, for one principal. */
export function permissionsOf(principal: Principal): Permissions {
  const role = principal.user?.role;
  const isKey = principal.kind === 'api_key';
  return {
    read: true,
    create: isKey || atLeast(role, 'technician'),
    claim: atLeast(role, 'engineer'),
    analytics: isKey || atLeast(role, 'engineer'),
    manageUsers: isKey || atLeast(role, 'admin'),
    manageAccount: atLeast(role, 'admin'),
  };
}

/** The name an action is recorded under: the user, or the API key's service identity. */
export function actorOf(principal: Principal): { id: string; name: string } {
  if (principal.user) return { id: principal.user.id, name: principal.user.name };
  return { id: principal.rateKey, name: 'Host integration' };
}
