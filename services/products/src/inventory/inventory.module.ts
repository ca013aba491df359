import { Module } from '@nestjs/common';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { ReservationSweeper } from './reservation-sweeper';
import { ReservationsController } from './reservations.controller';

@Module({
  controllers: [InventoryController, ReservationsController],
  providers: [InventoryService, ReservationSweeper],
})
export class InventoryModule {}
