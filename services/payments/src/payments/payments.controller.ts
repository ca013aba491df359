import { type AuthUser, USER_ROLES } from '@commerce/contracts';
import { CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PaymentPageDto, PaymentsQueryDto } from './payments.dto';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@Roles(...USER_ROLES)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiOperation({
    summary: 'Payments, newest first: my own, or everyone’s for ADMIN and SUPER_ADMIN',
  })
  @ApiOkResponse({ type: PaymentPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PaymentsQueryDto): Promise<PaymentPageDto> {
    return this.payments.list(user, query);
  }
}
