import type { UserRole } from '@commerce/contracts';
import { MetricsService } from '@commerce/nest-kit';
import { isUniqueViolation } from '@commerce/persistence';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthErrors } from '../common/auth-errors';
import { PasswordHasher } from '../credentials/password-hasher.service';
import { passwordPolicyViolations } from '../credentials/password-policy';
import { normaliseEmail } from './email';
import { UserEntity } from './users.entity';

export interface NewUser {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

export interface UserPage {
  readonly items: UserEntity[];
  readonly total: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accounts: registration, lookups, role changes. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Creates a CUSTOMER. Uniqueness is the unique index's job: of concurrent registrations of one
   * email exactly one insert succeeds, the others get 409 EMAIL_TAKEN.
   */
  async register(input: NewUser): Promise<UserEntity> {
    const email = normaliseEmail(input.email);
    const violations = passwordPolicyViolations(input.password, email);
    if (violations.length > 0) throw AuthErrors.invalidField('password', violations);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const user = await this.users.save(
        this.users.create({ email, name: input.name, passwordHash, roles: ['CUSTOMER'] }),
      );
      this.metrics.recordBusinessOperation('register', 'success');
      return user;
    } catch (error) {
      if (isUniqueViolation(error)) {
        this.metrics.recordBusinessOperation('register', 'email_taken');
        throw AuthErrors.emailTaken();
      }
      throw error;
    }
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: normaliseEmail(email) });
  }

  /** Null for unknown ids, including ids that are not UUIDs (e.g. a service account's). */
  async findById(id: string): Promise<UserEntity | null> {
    if (!UUID.test(id)) return null;
    return this.users.findOneBy({ id });
  }

  async getById(id: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw AuthErrors.userNotFound(id);
    return user;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /** A page of users, newest first, optionally filtered by a case-insensitive email substring. */
  async list(page: number, limit: number, emailContains?: string): Promise<UserPage> {
    const query = this.users.createQueryBuilder('u');
    if (emailContains) {
      const escaped = normaliseEmail(emailContains).replace(/[\\%_]/g, (c) => `\\${c}`);
      query.where(`u.email like :pattern escape '\\'`, { pattern: `%${escaped}%` });
    }
    const [items, total] = await query
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'ASC')
      .skip((page - 1) * limit)
      .take(limit)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * Keyset pagination by id for bulk readers (campaign fan-out): stable while users register,
   * and as fast on the last page as on the first.
   */
  listAfter(
    after: string | undefined,
    limit: number,
    role?: UserRole,
    ids?: readonly string[],
  ): Promise<UserEntity[]> {
    const query = this.users.createQueryBuilder('u').orderBy('u.id', 'ASC').take(limit);
    if (after) query.andWhere('u.id > :after', { after });
    if (role) query.andWhere(':role = any(u.roles)', { role });
    if (ids) query.andWhere('u.id = any(:ids::uuid[])', { ids: [...ids] });
    return query.getMany();
  }

  /** Adds `role` (no-op when present); the change shows in the user's next token. */
  async grantRole(id: string, role: UserRole): Promise<UserEntity> {
    await this.users.query(
      `update users set roles = array_append(roles, $2), updated_at = now()
        where id = $1 and not ($2 = any(roles))`,
      [id, role],
    );
    return this.getById(id);
  }

  /** Removes `role` (no-op when absent); the change shows in the user's next token. */
  async removeRole(id: string, role: UserRole): Promise<UserEntity> {
    await this.users.query(
      `update users set roles = array_remove(roles, $2), updated_at = now()
        where id = $1 and $2 = any(roles)`,
      [id, role],
    );
    return this.getById(id);
  }

  /**
   * Makes sure `email` is a SUPER_ADMIN: creates the account with `password` when missing,
   * otherwise adds the role (the existing password is left alone). Safe to run at every start
   * and from several instances at once.
   */
  async ensureSuperAdmin(
    email: string,
    password: string | undefined,
    name: string,
  ): Promise<'created' | 'promoted' | 'unchanged'> {
    const normalised = normaliseEmail(email);
    const existing = await this.findByEmail(normalised);
    if (existing) {
      if (existing.roles.includes('SUPER_ADMIN')) return 'unchanged';
      await this.grantRole(existing.id, 'SUPER_ADMIN');
      return 'promoted';
    }
    if (!password) {
      throw new Error(
        `SUPER_ADMIN_PASSWORD is required to create the super admin ${normalised} (no such account yet)`,
      );
    }
    const violations = passwordPolicyViolations(password, normalised);
    if (violations.length > 0) {
      throw new Error(`SUPER_ADMIN_PASSWORD does not meet the policy: ${violations.join('; ')}`);
    }
    const passwordHash = await this.hasher.hash(password);
    // Another instance may create it in between: then only the role is added.
    const rows = await this.users.query<{ inserted: boolean }[]>(
      `insert into users (email, name, password_hash, roles)
       values ($1, $2, $3, array['CUSTOMER', 'SUPER_ADMIN'])
       on conflict (email) do update
         set roles = case when 'SUPER_ADMIN' = any(users.roles) then users.roles
                          else array_append(users.roles, 'SUPER_ADMIN') end
       returning (xmax = 0) as inserted`,
      [normalised, name, passwordHash],
    );
    return rows[0]?.inserted ? 'created' : 'promoted';
  }
}
