import { Module } from '@nestjs/common';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { OrderStatuses } from './order-statuses';
import { ReservationSweeper } from './reservation-sweeper';
import { ReservationsController } from './reservations.controller';

@Module({
  controllers: [InventoryController, ReservationsController],
  providers: [InventoryService, OrderStatuses, ReservationSweeper],
})
export class InventoryModule {}
