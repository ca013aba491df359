import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DependencyHealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealthService,
  ) {}

  /**
   * Readiness: every registered dependency answers. 503 with terminus's report when one does not
   * (or while shutting down), so a load balancer stops routing here; never a 500.
   */
  @Get()
  @HealthCheck()
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.dependencies.indicators());
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        // Terminus's report is the body here, not the shared error shape: probes and dashboards
        // read `status`, `info`, `error` and `details`.
        void reply.status(503);
        return error.getResponse() as HealthCheckResult;
      }
      throw error;
    }
  }

  /** Liveness: the process serves HTTP. No dependency is consulted, so an outage never restarts it. */
  @Get('live')
  @HealthCheck()
  liveness(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }
}
