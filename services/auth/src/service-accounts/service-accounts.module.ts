import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { LoginThrottleModule } from '../login-throttle/login-throttle.module';
import { ServiceAccountsController } from './service-accounts.controller';
import { ServiceAccountsService } from './service-accounts.service';

@Module({
  imports: [KeysModule, LoginThrottleModule],
  controllers: [ServiceAccountsController],
  providers: [ServiceAccountsService],
})
export class ServiceAccountsModule {}
