import type { UserRole } from '@commerce/contracts';
import { type RoleChange, checkRoleChange } from './role-policy';

const change = (actorRoles: string[], role: UserRole, kind: RoleChange, self = false) =>
  checkRoleChange({
    actorId: 'actor',
    actorRoles,
    targetId: self ? 'actor' : 'target',
    role,
    change: kind,
  }).allowed;

describe('role change policy', () => {
  it('lets ADMIN and SUPER_ADMIN grant and remove CUSTOMER', () => {
    for (const actor of [['ADMIN'], ['SUPER_ADMIN'], ['CUSTOMER', 'ADMIN']]) {
      expect(change(actor, 'CUSTOMER', 'grant')).toBe(true);
      expect(change(actor, 'CUSTOMER', 'remove')).toBe(true);
    }
  });

  it('keeps ADMIN and SUPER_ADMIN changes for SUPER_ADMIN', () => {
    for (const role of ['ADMIN', 'SUPER_ADMIN'] as const) {
      for (const kind of ['grant', 'remove'] as const) {
        expect(change(['ADMIN'], role, kind)).toBe(false);
        expect(change(['SUPER_ADMIN'], role, kind)).toBe(true);
      }
    }
  });

  it('lets nobody else change anything', () => {
    expect(change(['CUSTOMER'], 'CUSTOMER', 'grant')).toBe(false);
    expect(change([], 'CUSTOMER', 'grant', true)).toBe(false);
    expect(change(['SERVICE'], 'CUSTOMER', 'grant')).toBe(false);
  });

  it('forbids removing one’s own SUPER_ADMIN, but allows other changes to oneself', () => {
    expect(change(['SUPER_ADMIN'], 'SUPER_ADMIN', 'remove', true)).toBe(false);
    expect(change(['SUPER_ADMIN'], 'ADMIN', 'remove', true)).toBe(true);
    expect(change(['SUPER_ADMIN'], 'SUPER_ADMIN', 'remove')).toBe(true);
  });

  it('explains a refusal', () => {
    expect(
      checkRoleChange({
        actorId: 'a',
        actorRoles: ['ADMIN'],
        targetId: 'b',
        role: 'ADMIN',
        change: 'grant',
      }),
    ).toEqual({ allowed: false, reason: 'Only a SUPER_ADMIN may grant the ADMIN role' });
  });
});
