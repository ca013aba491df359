import { ErrorResponseDto, Public } from '@commerce/nest-kit';
import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { OneClickUnsubscribeDto, UnsubscribeQueryDto, UnsubscribeResultDto } from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

/** The part of Fastify's reply this controller touches. */
interface HtmlReply {
  header(name: string, value: string): unknown;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The link in every campaign email; the signed token is the credential (no login). GET is the
 * link a reader clicks; POST is the one-click unsubscribe mail clients perform from the
 * `List-Unsubscribe-Post` header (RFC 8058), without opening a page.
 */
@ApiTags('campaigns')
@Public()
@Controller('notifications/unsubscribe')
export class UnsubscribeController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiOperation({
    summary: 'Unsubscribe the address of a campaign email from campaigns (idempotent)',
    description: 'Answers JSON, or a short HTML page to browsers (Accept: text/html).',
  })
  @ApiOkResponse({ type: UnsubscribeResultDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'Not a valid token' })
  async unsubscribe(
    @Query() query: UnsubscribeQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: HtmlReply,
  ): Promise<UnsubscribeResultDto | string> {
    const result = await this.campaigns.unsubscribe(query.token);
    if (!accept?.includes('text/html')) return result;
    reply.header('content-type', 'text/html; charset=utf-8');
    return `<!doctype html><html><body style="font-family: sans-serif;"><h1>Unsubscribed</h1><p>${escapeHtml(result.email)} will receive no more campaign emails.</p></body></html>`;
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'One-click unsubscribe (RFC 8058) from a mail client (idempotent)',
    description:
      'Posted by mail clients to the List-Unsubscribe URL, form-encoded: List-Unsubscribe=One-Click.',
  })
  @ApiOkResponse({ type: UnsubscribeResultDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'Not a valid token or body' })
  oneClick(
    @Query() query: UnsubscribeQueryDto,
    @Body() _body: OneClickUnsubscribeDto,
  ): Promise<UnsubscribeResultDto> {
    return this.campaigns.unsubscribe(query.token);
  }
}
