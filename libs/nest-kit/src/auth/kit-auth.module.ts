import {
  type DynamicModule,
  type FactoryProvider,
  Module,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { KIT_AUTH_OPTIONS } from './auth.constants';
import type { KitAuthModuleOptions, KitAuthOptions } from './auth.options';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtVerifier } from './jwt-verifier.service';
import { RolesGuard } from './roles.guard';

export interface KitAuthAsyncOptions extends KitAuthModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (...deps: never[]) => KitAuthOptions | Promise<KitAuthOptions>;
}

/**
 * Access-token verification for an app: ES256 JWTs checked against the auth service's JWKS and
 * the revoked-jti keys in Redis. By default the auth guard and RolesGuard become global guards,
 * so every route needs a token unless marked `@Public()`.
 *
 *   KitAuthModule.forRoot({ jwksUrl: config.AUTH_JWKS_URL, redisUrl: config.REDIS_URL })
 */
@Module({})
export class KitAuthModule {
  static forRoot(options: KitAuthOptions & KitAuthModuleOptions): DynamicModule {
    return build([{ provide: KIT_AUTH_OPTIONS, useValue: options }], options);
  }

  static forRootAsync(options: KitAuthAsyncOptions): DynamicModule {
    return build(
      [
        {
          provide: KIT_AUTH_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory as (...deps: unknown[]) => Promise<KitAuthOptions>,
        },
      ],
      options,
      options.imports,
    );
  }
}

function build(
  optionsProviders: Provider[],
  moduleOptions: KitAuthModuleOptions,
  imports: ModuleMetadata['imports'] = [],
): DynamicModule {
  const guards: Provider[] =
    moduleOptions.globalGuards === false
      ? []
      : [
          // In this order: authentication first, then roles.
          { provide: APP_GUARD, useClass: moduleOptions.guard ?? JwtAuthGuard },
          { provide: APP_GUARD, useClass: RolesGuard },
        ];
  return {
    module: KitAuthModule,
    global: true,
    imports,
    providers: [...optionsProviders, JwtVerifier, JwtAuthGuard, RolesGuard, ...guards],
    exports: [KIT_AUTH_OPTIONS, JwtVerifier, JwtAuthGuard, RolesGuard],
  };
}
