import type { AuthUser, UserRole } from '@commerce/contracts';
import { MetricsService } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import { SessionsService } from '../sessions/sessions.service';
import { AuthErrors } from '../common/auth-errors';
import { UserDto } from '../users/users.dto';
import type { UserEntity } from '../users/users.entity';
import { UsersService } from '../users/users.service';
import type { AdminUserDto, UserListDto } from './admin.dto';
import { type RoleChange, checkRoleChange } from './role-policy';

/** User administration: listing and role changes under the role policy. */
@Injectable()
export class AdminService {
  constructor(
    private readonly users: UsersService,
    private readonly metrics: MetricsService,
    private readonly sessions: SessionsService,
  ) {}

  async list(page: number, limit: number, email?: string): Promise<UserListDto> {
    const { items, total } = await this.users.list(page, limit, email);
    return { items: items.map(toAdminUser), total, page, limit };
  }

  /**
   * Grants or removes `role` on `targetId`. The actor's current roles decide (a demoted admin
   * loses the power at once, not when the token expires). A removal also revokes every live
   * access token of the target (their jtis, which every verifier checks), so a role taken away
   * is gone at once; the refresh token stays valid and its next token carries the roles as they
   * are now. A grant shows in the next token. Unknown target: 404, checked before anything
   * changes.
   */
  async changeRole(
    actor: AuthUser,
    targetId: string,
    role: UserRole,
    change: RoleChange,
  ): Promise<UserDto> {
    const actorNow = await this.users.findById(actor.id);
    const verdict = checkRoleChange({
      actorId: actor.id,
      actorRoles: actorNow?.roles ?? [],
      targetId,
      role,
      change,
    });
    if (!verdict.allowed) throw AuthErrors.roleChangeForbidden(verdict.reason);
    await this.users.getById(targetId);
    const user =
      change === 'grant'
        ? await this.users.grantRole(targetId, role)
        : await this.users.removeRole(targetId, role);
    // After the update: a token issued from here on already carries the new roles.
    if (change === 'remove') await this.sessions.revokeAccessTokensOf(targetId);
    this.metrics.recordBusinessOperation(`role_${change}`, 'success');
    return UserDto.of(user);
  }
}

function toAdminUser(user: UserEntity): AdminUserDto {
  return { ...UserDto.of(user), createdAt: user.createdAt.toISOString() };
}
