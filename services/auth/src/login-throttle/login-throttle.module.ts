import { Module } from '@nestjs/common';
import { LoginThrottle } from './login-throttle.service';

@Module({ providers: [LoginThrottle], exports: [LoginThrottle] })
export class LoginThrottleModule {}
