import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { ApiRouteGuard } from '../routing/api-route.guard';
import { ProxyHttpSetup } from './proxy-http.setup';
import { ProxyController } from './proxy.controller';
import { ProxyService } from './proxy.service';
import { UpstreamsService } from './upstreams.service';

@Module({
  imports: [RateLimitModule],
  controllers: [ProxyController],
  providers: [UpstreamsService, ProxyService, ProxyHttpSetup, ApiRouteGuard],
  exports: [UpstreamsService],
})
export class ProxyModule {}
