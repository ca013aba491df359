import { type AuthUser, revokedJtiKey } from '@commerce/contracts';
import { InjectConfig, MetricsService } from '@commerce/nest-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthErrors } from '../common/auth-errors';
import type { AuthConfig } from '../config';
import { PasswordHasher } from '../credentials/password-hasher.service';
import { TokensService } from '../keys/tokens.service';
import { LoginThrottle } from '../login-throttle/login-throttle.service';
import { REDIS } from '../redis/redis.module';
import { normaliseEmail } from '../users/email';
import { UserEntity } from '../users/users.entity';
import { UsersService } from '../users/users.service';
import {
  decideRefresh,
  generateRefreshToken,
  hashRefreshToken,
  revocationTtlMs,
} from './refresh-rotation';
import { RefreshFamilyEntity, RefreshTokenEntity } from './sessions.entity';
import type { TokenPairDto } from './sessions.dto';

interface PresentedRow {
  family_id: string;
  user_id: string;
  used_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
  now: Date;
}

/**
 * Sessions: login (a new refresh family), refresh rotation with reuse detection, logout.
 * Access tokens of a revoked family are revoked too, through their jtis in Redis.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottle,
    private readonly metrics: MetricsService,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectConfig() private readonly config: AuthConfig,
  ) {}

  async login(email: string, password: string, ip: string | undefined): Promise<TokenPairDto> {
    const normalised = normaliseEmail(email);
    const ticket = await this.throttle.attempt('login', { kind: 'user', email: normalised }, ip);
    const user = await this.users.findByEmail(normalised);
    // An unknown email costs the same argon2 work as a wrong password.
    const valid = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verifyAgainstDummy(password);
    if (!user || !valid) {
      this.metrics.recordBusinessOperation('login', 'failure');
      throw AuthErrors.invalidCredentials();
    }
    await this.throttle.succeeded(ticket);
    await this.upgradeHash(user, password);
    const pair = await this.dataSource.transaction(async (manager) => {
      const family = await manager
        .getRepository(RefreshFamilyEntity)
        .save({ userId: user.id, revokedAt: null, revokedReason: null });
      return this.issuePair(manager, family.id, user);
    });
    this.metrics.recordBusinessOperation('login', 'success');
    return pair;
  }

  /**
   * Exchanges a refresh token for a new pair. The token is claimed with a conditional UPDATE, so
   * of two concurrent exchanges exactly one wins; the other then sees a used token, which is
   * reuse: the family and its access tokens are revoked.
   */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const tokenHash = hashRefreshToken(refreshToken);
    const rotated = await this.dataSource.transaction(async (manager) => {
      const claimed = await manager.query<{ family_id: string; user_id: string }[]>(
        `with claimed as (
           update refresh_tokens t set used_at = now()
             from refresh_families f
            where t.token_hash = $1 and t.used_at is null and t.expires_at > now()
              and f.id = t.family_id and f.revoked_at is null
           returning t.family_id, f.user_id)
         select family_id, user_id from claimed`,
        [tokenHash],
      );
      const row = claimed[0];
      if (!row) return undefined;
      // Current roles: a role change shows in the next token.
      const user = await manager.getRepository(UserEntity).findOneByOrFail({ id: row.user_id });
      return this.issuePair(manager, row.family_id, user);
    });
    if (rotated) {
      this.metrics.recordBusinessOperation('refresh', 'success');
      return rotated;
    }

    const rows = await this.dataSource.query<PresentedRow[]>(
      `select t.family_id, f.user_id, t.used_at, t.expires_at, f.revoked_at, now() as now
         from refresh_tokens t join refresh_families f on f.id = t.family_id
        where t.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    const decision = decideRefresh(
      row
        ? {
            found: true,
            usedAt: row.used_at,
            expiresAt: row.expires_at,
            familyRevokedAt: row.revoked_at,
          }
        : { found: false },
      row?.now ?? new Date(),
    );
    switch (decision) {
      case 'reused':
        this.metrics.recordBusinessOperation('refresh', 'reuse_detected');
        this.logger.warn(
          `refresh token reuse: revoking family ${row?.family_id} of user ${row?.user_id}`,
        );
        await this.revokeFamily(row?.family_id ?? '', 'reuse');
        throw AuthErrors.refreshReused();
      case 'revoked':
        // Idempotent: completes a revocation whose Redis part may have failed earlier.
        await this.revokeFamilyAccessTokens(row?.family_id ?? '');
        this.metrics.recordBusinessOperation('refresh', 'revoked');
        throw AuthErrors.refreshRevoked();
      case 'expired':
        this.metrics.recordBusinessOperation('refresh', 'expired');
        throw AuthErrors.refreshExpired();
      default:
        this.metrics.recordBusinessOperation('refresh', 'invalid');
        throw AuthErrors.refreshInvalid();
    }
  }

  /**
   * Ends the caller's session: its access token (the jti, until it would expire) and the family
   * of `refreshToken`. A refresh token of another account is refused before anything changes;
   * an unknown one still logs the access token out.
   */
  async logout(caller: AuthUser, refreshToken: string): Promise<void> {
    const rows = await this.dataSource.query<{ family_id: string; user_id: string }[]>(
      `select t.family_id, f.user_id
         from refresh_tokens t join refresh_families f on f.id = t.family_id
        where t.token_hash = $1`,
      [hashRefreshToken(refreshToken)],
    );
    const row = rows[0];
    if (row && row.user_id !== caller.id) {
      throw AuthErrors.forbidden('This refresh token belongs to another account');
    }
    await this.revokeJtis(
      [{ jti: caller.jti, expiresAt: new Date(caller.exp * 1000) }],
      new Date(),
    );
    if (row) await this.revokeFamily(row.family_id, 'logout');
    this.metrics.recordBusinessOperation('logout', 'success');
  }

  /** Revokes every live access token issued to `userId` (its refresh tokens stay valid). */
  async revokeAccessTokensOf(userId: string): Promise<void> {
    const rows = await this.dataSource.query<
      { access_jti: string; access_expires_at: Date; now: Date }[]
    >(
      `select t.access_jti, t.access_expires_at, now() as now
         from refresh_tokens t join refresh_families f on f.id = t.family_id
        where f.user_id = $1 and t.access_expires_at > now()`,
      [userId],
    );
    await this.revokeJtis(
      rows.map((r) => ({ jti: r.access_jti, expiresAt: r.access_expires_at })),
      rows[0]?.now ?? new Date(),
    );
  }

  private async issuePair(
    manager: EntityManager,
    familyId: string,
    user: Pick<UserEntity, 'id' | 'roles' | 'email'>,
  ): Promise<TokenPairDto> {
    const access = await this.tokens.issueAccessToken(
      { id: user.id, roles: user.roles, email: user.email },
      this.config.ACCESS_TOKEN_TTL_SECONDS,
    );
    const refreshToken = generateRefreshToken();
    await manager.getRepository(RefreshTokenEntity).insert({
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      accessJti: access.jti,
      accessExpiresAt: new Date(access.exp * 1000),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      usedAt: null,
    });
    return {
      accessToken: access.token,
      refreshToken,
      expiresIn: access.expiresIn,
      tokenType: 'Bearer',
    };
  }

  private async revokeFamily(familyId: string, reason: 'logout' | 'reuse'): Promise<void> {
    await this.dataSource.query(
      `update refresh_families set revoked_at = now(), revoked_reason = $2
        where id = $1 and revoked_at is null`,
      [familyId, reason],
    );
    await this.revokeFamilyAccessTokens(familyId);
  }

  /** Marks every still-valid access token issued from the family as revoked. */
  private async revokeFamilyAccessTokens(familyId: string): Promise<void> {
    const rows = await this.dataSource.query<
      { access_jti: string; access_expires_at: Date; now: Date }[]
    >(
      `select access_jti, access_expires_at, now() as now
         from refresh_tokens where family_id = $1 and access_expires_at > now()`,
      [familyId],
    );
    await this.revokeJtis(
      rows.map((r) => ({ jti: r.access_jti, expiresAt: r.access_expires_at })),
      rows[0]?.now ?? new Date(),
    );
  }

  private async revokeJtis(
    tokens: readonly { jti: string; expiresAt: Date }[],
    now: Date,
  ): Promise<void> {
    const live = tokens
      .map((t) => ({ key: revokedJtiKey(t.jti), ttl: revocationTtlMs(t.expiresAt, now) }))
      .filter((t) => t.ttl > 0);
    if (live.length === 0) return;
    try {
      // One SET per key, not a MULTI: the keys are in different Redis Cluster slots, and each SET
      // stands alone (a failure is a 503 and the caller tries again; setting twice is harmless).
      // A second of slack: the key must outlive the token even with a little clock skew.
      await Promise.all(live.map(({ key, ttl }) => this.redis.set(key, '1', 'PX', ttl + 1000)));
    } catch (error) {
      throw AuthErrors.unavailable('Token revocation', error);
    }
  }

  /** Re-hashes with today's parameters after a successful login (best effort). */
  private async upgradeHash(user: UserEntity, password: string): Promise<void> {
    if (!this.hasher.needsRehash(user.passwordHash)) return;
    try {
      await this.users.updatePasswordHash(user.id, await this.hasher.hash(password));
    } catch (error) {
      this.logger.warn(`could not upgrade the password hash of user ${user.id}: ${String(error)}`);
    }
  }
}
