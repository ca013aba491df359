import { InjectConfig } from '@commerce/nest-kit';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AuthConfig } from '../config';
import { UsersService } from '../users/users.service';

/**
 * The first SUPER_ADMIN comes from SUPER_ADMIN_EMAIL (+ SUPER_ADMIN_PASSWORD to create it):
 * created or promoted at every start, after the migrations have run.
 */
@Injectable()
export class SuperAdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(SuperAdminSeeder.name);

  constructor(
    private readonly users: UsersService,
    @InjectConfig() private readonly config: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.SUPER_ADMIN_EMAIL;
    if (!email) return;
    const outcome = await this.users.ensureSuperAdmin(
      email,
      this.config.SUPER_ADMIN_PASSWORD,
      this.config.SUPER_ADMIN_NAME,
    );
    if (outcome !== 'unchanged') this.logger.log(`super admin ${email}: ${outcome}`);
  }
}
