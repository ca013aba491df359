import { All, Controller, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JwtAuthGuard } from '@commerce/nest-kit';
import { UserThrottlerGuard } from '../rate-limit/gateway-throttler.guard';
import { ApiRouteGuard } from '../routing/api-route.guard';
import { upstreamRouteOf } from '../routing/route-context';
import { ProxyService } from './proxy.service';

/**
 * Everything under /api: address rate limit (429, the global guard), route check (404), edge
 * token check (401), per-user rate limit (429), then the
 * relay to the owning service. The services document these routes; the merged document at
 * /docs-json shows them, so this controller stays out of the gateway's own part.
 */
@ApiExcludeController()
@Controller('api')
@UseGuards(ApiRouteGuard, JwtAuthGuard, UserThrottlerGuard)
export class ProxyController {
  constructor(private readonly proxy: ProxyService) {}

  // find-my-way syntax (Fastify's router): everything below /api/.
  @All('*')
  async relay(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const route = upstreamRouteOf(request);
    // ApiRouteGuard let the request through, so the route is an upstream one.
    if (!route) throw new Error('proxy reached without an upstream route');
    await this.proxy.forward(request, reply, route);
  }
}
