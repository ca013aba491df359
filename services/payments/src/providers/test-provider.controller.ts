import { ServiceClient } from '@commerce/contracts';
import { ServiceClients } from '@commerce/nest-kit';
import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { type TestProviderCall, TestModePaymentProvider } from './test-mode.provider';

export class OutageDto {
  @ApiPropertyOptional({ minimum: 0, description: 'The next n provider calls fail transiently' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  readonly failNext?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Every provider call first waits this long' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120_000)
  readonly delayMs?: number;
}

export class OutageStateDto {
  @ApiProperty() readonly failNext!: number;
  @ApiProperty() readonly delayMs!: number;
}

export class CallsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  readonly orderId?: string;
}

/**
 * Test mode only (PAYMENT_PROVIDER=test; the module registers it nowhere else): lets tests in
 * other processes inject provider outages and count the calls the provider received.
 */
@ApiTags('internal')
@Controller('internal/payments/test-provider')
@ServiceClients(ServiceClient.activities)
export class TestProviderController {
  constructor(private readonly provider: TestModePaymentProvider) {}

  @Put('outage')
  @ApiOperation({ summary: 'Test mode: make the next provider calls fail transiently (or slow)' })
  @ApiOkResponse({ type: OutageStateDto })
  outage(@Body() body: OutageDto): OutageStateDto {
    return this.provider.setOutage(body);
  }

  @Get('calls')
  @ApiOperation({ summary: 'Test mode: the calls the provider received, oldest first' })
  calls(@Query() query: CallsQueryDto): { items: TestProviderCall[] } {
    return { items: this.provider.listCalls(query.orderId) };
  }
}
