import { Role, type UserRole } from '@commerce/contracts';

export type RoleChange = 'grant' | 'remove';

export interface RoleChangeRequest {
  readonly actorId: string;
  /** The actor's roles as stored now (not as in a possibly older token). */
  readonly actorRoles: readonly string[];
  readonly targetId: string;
  readonly role: UserRole;
  readonly change: RoleChange;
}

export type RoleChangeVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Who may change which role:
 * - CUSTOMER: ADMIN or SUPER_ADMIN;
 * - ADMIN and SUPER_ADMIN: SUPER_ADMIN only;
 * - nobody removes their own SUPER_ADMIN (there must always be one left who can act).
 */
export function checkRoleChange(request: RoleChangeRequest): RoleChangeVerdict {
  const isSuper = request.actorRoles.includes(Role.SUPER_ADMIN);
  const isAdmin = isSuper || request.actorRoles.includes(Role.ADMIN);
  if (!isAdmin) return { allowed: false, reason: 'Only administrators change roles' };
  if (request.role !== Role.CUSTOMER && !isSuper) {
    return {
      allowed: false,
      reason: `Only a SUPER_ADMIN may ${request.change} the ${request.role} role`,
    };
  }
  if (
    request.change === 'remove' &&
    request.role === Role.SUPER_ADMIN &&
    request.actorId === request.targetId
  ) {
    return { allowed: false, reason: 'You cannot remove your own SUPER_ADMIN role' };
  }
  return { allowed: true };
}
