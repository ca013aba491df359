import { InjectConfig } from '@commerce/nest-kit';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import type { AuthConfig } from '../config';

/** argon2id hashing with the configured cost; the parameters travel inside each hash. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly options: { memoryCost: number; timeCost: number; parallelism: number };
  /** A real hash of a random password: unknown emails are checked against it, so they cost the same. */
  private dummyHash = '';

  constructor(@InjectConfig() config: AuthConfig) {
    this.options = {
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: config.ARGON2_PARALLELISM,
    };
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.options });
  }

  /** False for a wrong password and for a hash argon2 cannot read. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** The same work as `verify` for a login whose email matches no account; always false. */
  async verifyAgainstDummy(password: string): Promise<false> {
    await this.verify(this.dummyHash, password);
    return false;
  }

  /** Whether a stored hash was made with other parameters than today's (rehash on login). */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, this.options);
    } catch {
      return false;
    }
  }
}
