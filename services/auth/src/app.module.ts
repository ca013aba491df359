import { JWKS_PATH } from '@commerce/contracts';
import {
  APP_CONFIG,
  type CreateAppOptions,
  KitAuthModule,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AdminModule } from './admin/admin.module';
import type { AuthConfig } from './config';
import { DatabaseModule } from './database/database.module';
import { InternalModule } from './internal/internal.module';
import { KeysModule } from './keys/keys.module';
import { KeysService } from './keys/keys.service';
import { REDIS, RedisModule } from './redis/redis.module';
import { ServiceAccountsModule } from './service-accounts/service-accounts.module';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';

/**
 * The auth service. Its own routes are guarded like every other service's: the kit's verifier,
 * here fed with the service's own public keys instead of an HTTP fetch of the JWKS.
 */
@Module({
  imports: [
    DatabaseModule,
    RedisModule,
    KeysModule,
    KitAuthModule.forRootAsync({
      imports: [KeysModule],
      inject: [APP_CONFIG, KeysService, REDIS],
      useFactory: (config: AuthConfig, keys: KeysService, redis: Redis) => ({
        jwksUrl: `http://${config.HOST}:${config.PORT}${JWKS_PATH}`,
        fetchJwks: () => Promise.resolve(keys.jwks()),
        redis,
      }),
    }),
    UsersModule,
    SessionsModule,
    AdminModule,
    ServiceAccountsModule,
    InternalModule,
  ],
})
export class AppModule {}

/** What the auth service adds to the kit; main.ts and the tests share it. */
export function authAppOptions(config: AuthConfig): Omit<CreateAppOptions, 'config'> {
  return {
    trustProxy: config.TRUST_PROXY,
    health: {
      indicators: [
        {
          name: 'postgres',
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => () => dataSource.query('select 1'),
        },
        redisHealthIndicator({ url: config.REDIS_URL }),
      ],
    },
    openApi: {
      title: 'Auth service',
      description:
        'Users, credentials, access tokens (ES256, JWKS), refresh rotation, roles, service accounts.',
      version: '0.1.0',
    },
  };
}
