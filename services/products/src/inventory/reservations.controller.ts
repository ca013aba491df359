import { INTERNAL_PREFIX, ServiceClient } from '@commerce/contracts';
import { ErrorResponseDto, ServiceClients } from '@commerce/nest-kit';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  HoldDto,
  OrderIdParamDto,
  OutOfStockDetailDto,
  ReservationDto,
  ReserveDto,
} from './inventory.dto';
import { InventoryService } from './inventory.service';

/** Called by the Temporal inventory activities only (SERVICE tokens). */
@ApiTags('internal')
@ApiExtraModels(OutOfStockDetailDto)
@Controller(`${INTERNAL_PREFIX.replace(/^\//, '')}/inventory/reservations`)
@ServiceClients(ServiceClient.activities)
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class ReservationsController {
  constructor(private readonly inventory: InventoryService) {}

  @Post()
  @ApiOperation({
    summary: 'Reserve stock for an order: every item or none',
    description:
      'Idempotent per orderId: a repeat returns the existing reservation with 200 and reserves ' +
      'nothing more. Out of stock is a 409 OUT_OF_STOCK whose details name each product short.',
  })
  @ApiCreatedResponse({ type: ReservationDto, description: 'Reserved' })
  @ApiOkResponse({ type: ReservationDto, description: 'The order already had this reservation' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'OUT_OF_STOCK' })
  async reserve(
    @Body() dto: ReserveDto,
    @Res({ passthrough: true }) reply: { status(code: number): unknown },
  ): Promise<ReservationDto> {
    const { created, reservation } = await this.inventory.reserve(dto);
    reply.status(created ? 201 : 200);
    return reservation;
  }

  @Post(':orderId/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release the reservation (repeat: no-op)' })
  @ApiOkResponse({ type: ReservationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'RESERVATION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'RESERVATION_COMMITTED' })
  release(@Param() params: OrderIdParamDto): Promise<ReservationDto> {
    return this.inventory.release(params.orderId);
  }

  @Post(':orderId/hold')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Keep a held reservation for holdSeconds more (the live checkout renews it)',
  })
  @ApiOkResponse({ type: ReservationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'RESERVATION_NOT_FOUND' })
  hold(@Param() params: OrderIdParamDto, @Body() body: HoldDto): Promise<ReservationDto> {
    return this.inventory.hold(params.orderId, body.holdSeconds);
  }

  @Post(':orderId/commit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Commit the reservation: the stock is sold (repeat: no-op)' })
  @ApiOkResponse({ type: ReservationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'RESERVATION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'RESERVATION_RELEASED' })
  commit(@Param() params: OrderIdParamDto): Promise<ReservationDto> {
    return this.inventory.commit(params.orderId);
  }
}
