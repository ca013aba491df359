import { type AuthUser, USER_ROLES } from '@commerce/contracts';
import { CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OrderIdParamDto } from '../payments/payments.dto';
import { InvoicesService } from './invoices.service';

export class InvoiceQueryDto {
  @ApiPropertyOptional({ enum: ['pdf', 'html'], default: 'pdf' })
  @IsOptional()
  @IsIn(['pdf', 'html'], { message: 'format must be pdf or html' })
  readonly format: 'pdf' | 'html' = 'pdf';
}

/** The part of Fastify's reply this controller touches. */
interface HeaderReply {
  header(name: string, value: string): unknown;
}

@ApiTags('invoices')
@Roles(...USER_ROLES)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get(':orderId')
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @ApiOperation({
    summary: 'The invoice of an order, PDF by default or HTML (owner, ADMIN or SUPER_ADMIN)',
  })
  @ApiProduces('application/pdf', 'text/html')
  @ApiOkResponse({ description: 'The invoice document' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: "No invoice (not captured), unknown order, or another customer's (NOT_FOUND)",
  })
  async get(
    @CurrentUser() user: AuthUser,
    @Param() params: OrderIdParamDto,
    @Query() query: InvoiceQueryDto,
    @Res({ passthrough: true }) reply: HeaderReply,
  ): Promise<Buffer | string> {
    const invoice = await this.invoices.findForCaller(params.orderId, user);
    reply.header('cache-control', 'private, no-store');
    if (query.format === 'html') {
      reply.header('content-type', 'text/html; charset=utf-8');
      return this.invoices.html(invoice);
    }
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `inline; filename="${invoice.number}.pdf"`);
    return this.invoices.pdf(invoice);
  }
}
