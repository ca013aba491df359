import { Role } from '@commerce/contracts';
import { ApiAuth, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { InventoryDto, ProductIdParamDto, SetStockDto } from './inventory.dto';
import { InventoryService } from './inventory.service';

@ApiTags('inventory')
@Controller('inventory')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND' })
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get(':productId')
  @ApiAuth()
  @ApiOperation({ summary: 'Stock of a product (any signed-in caller)' })
  @ApiOkResponse({ type: InventoryDto })
  get(@Param() params: ProductIdParamDto): Promise<InventoryDto> {
    return this.inventory.get(params.productId);
  }

  @Put(':productId')
  @Roles(Role.ADMIN, Role.SUPER_ADMIN)
  @ApiOperation({ summary: 'Set the units on hand (ADMIN, SUPER_ADMIN)' })
  @ApiOkResponse({ type: InventoryDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'STOCK_BELOW_RESERVED' })
  set(@Param() params: ProductIdParamDto, @Body() dto: SetStockDto): Promise<InventoryDto> {
    return this.inventory.set(params.productId, dto.onHand);
  }
}
