import { APP_CONFIG } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { AuthConfig } from '../config';
import { KeysController } from './keys.controller';
import { KeysService } from './keys.service';
import { TokensService } from './tokens.service';

@Module({
  controllers: [KeysController],
  providers: [
    {
      provide: KeysService,
      inject: [APP_CONFIG],
      useFactory: (config: AuthConfig) => KeysService.create(config),
    },
    TokensService,
  ],
  exports: [KeysService, TokensService],
})
export class KeysModule {}
