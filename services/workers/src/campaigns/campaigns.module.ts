import { Module } from '@nestjs/common';
import { CampaignProcessor } from './campaign.processor';
import { CampaignStore } from './campaign-store';

/** The `campaign-email` queue: bulk campaign email of the notifications service. */
@Module({
  providers: [CampaignStore, CampaignProcessor],
  exports: [CampaignProcessor, CampaignStore],
})
export class CampaignsModule {}
