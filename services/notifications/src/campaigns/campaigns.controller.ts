import { type AuthUser, Role } from '@commerce/contracts';
import { CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CampaignDto,
  CampaignFailurePageDto,
  CampaignIdParamDto,
  CampaignPageDto,
  CampaignsQueryDto,
  CreateCampaignDto,
} from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('admin/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Create a bulk email campaign; its audience is enqueued in the background',
  })
  @ApiAcceptedResponse({ type: CampaignDto })
  create(@Body() body: CreateCampaignDto, @CurrentUser() admin: AuthUser): Promise<CampaignDto> {
    return this.campaigns.create(body, admin);
  }

  @Get()
  @ApiOperation({ summary: 'Campaigns, newest first' })
  @ApiOkResponse({ type: CampaignPageDto })
  list(@Query() query: CampaignsQueryDto): Promise<CampaignPageDto> {
    return this.campaigns.list(query.page, query.limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign with its live progress' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param() params: CampaignIdParamDto): Promise<CampaignDto> {
    return this.campaigns.get(params.id);
  }

  @Get(':id/failures')
  @ApiOperation({ summary: 'Recipients the campaign could not deliver to, with the error' })
  @ApiOkResponse({ type: CampaignFailurePageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  failures(
    @Param() params: CampaignIdParamDto,
    @Query() query: CampaignsQueryDto,
  ): Promise<CampaignFailurePageDto> {
    return this.campaigns.failures(params.id, query.page, query.limit);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop sending; queued emails wait until resumed' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CAMPAIGN_STATE' })
  pause(@Param() params: CampaignIdParamDto): Promise<CampaignDto> {
    return this.campaigns.act(params.id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send again after a pause' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CAMPAIGN_STATE' })
  resume(@Param() params: CampaignIdParamDto): Promise<CampaignDto> {
    return this.campaigns.act(params.id, 'resume');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop every email not sent yet' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CAMPAIGN_STATE' })
  cancel(@Param() params: CampaignIdParamDto): Promise<CampaignDto> {
    return this.campaigns.act(params.id, 'cancel');
  }
}
