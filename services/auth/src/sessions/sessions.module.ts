import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CredentialsModule } from '../credentials/credentials.module';
import { KeysModule } from '../keys/keys.module';
import { LoginThrottleModule } from '../login-throttle/login-throttle.module';
import { UsersModule } from '../users/users.module';
import { SessionsController } from './sessions.controller';
import { RefreshFamilyEntity, RefreshTokenEntity } from './sessions.entity';
import { SessionsService } from './sessions.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshFamilyEntity, RefreshTokenEntity]),
    CredentialsModule,
    KeysModule,
    LoginThrottleModule,
    UsersModule,
  ],
  controllers: [SessionsController],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
