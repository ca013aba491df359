import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { SuperAdminSeeder } from './super-admin.seeder';

@Module({
  imports: [UsersModule],
  controllers: [AdminController],
  providers: [AdminService, SuperAdminSeeder],
})
export class AdminModule {}
