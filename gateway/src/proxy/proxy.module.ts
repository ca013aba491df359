import { Module } from '@nestjs/common';
import { ProxyHttpSetup } from './proxy-http.setup';
import { ProxyRoute } from './proxy-route';
import { ProxyService } from './proxy.service';
import { UpstreamsService } from './upstreams.service';

@Module({
  providers: [UpstreamsService, ProxyService, ProxyHttpSetup, ProxyRoute],
  exports: [UpstreamsService],
})
export class ProxyModule {}
