import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TemplatesModule } from '../templates/templates.module';
import { AudienceSource } from './audience-source';
import {
  CAMPAIGN_MODEL,
  CampaignSchema,
  SUPPRESSION_MODEL,
  SuppressionSchema,
} from './campaign.schema';
import { CampaignFanout } from './campaign-fanout';
import { CampaignQueue } from './campaign-queue';
import { CampaignState } from './campaign-state';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { UnsubscribeController } from './unsubscribe.controller';

/** Bulk email campaigns: admin API, audience fan-out into the campaign queue, unsubscribe. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CAMPAIGN_MODEL, schema: CampaignSchema },
      { name: SUPPRESSION_MODEL, schema: SuppressionSchema },
    ]),
    TemplatesModule,
  ],
  controllers: [CampaignsController, UnsubscribeController],
  providers: [AudienceSource, CampaignQueue, CampaignState, CampaignFanout, CampaignsService],
  exports: [CampaignFanout],
})
export class CampaignsModule {}
