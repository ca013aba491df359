import { Module } from '@nestjs/common';
import { ClaimGuard } from './claim-guard';
import { EmailProcessor } from './email.processor';
import { NotificationStore } from './notification-store';

/** The `email` queue: transactional email of the notifications service. */
@Module({
  providers: [NotificationStore, ClaimGuard, EmailProcessor],
  exports: [EmailProcessor],
})
export class EmailModule {}
