import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { HEALTH_OPTIONS, type HealthModuleOptions } from './health.types';
import { DependencyHealthService } from './health.service';

// Probes carry no token.
@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealthService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthModuleOptions,
  ) {}

  /**
   * Readiness: every registered dependency answers. 503 with terminus's report when one does not
   * (or while shutting down), so a load balancer stops routing here; never a 500.
   */
  @Get()
  @HealthCheck()
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    let report: HealthCheckResult;
    try {
      report = await this.health.check(this.dependencies.indicators());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus's report is the body here, not the shared error shape: probes and dashboards
      // read `status`, `info`, `error` and `details`.
      void reply.status(503);
      report = error.getResponse() as HealthCheckResult;
    }
    return this.options.redact ? redact(report) : report;
  }

  /** Liveness: the process serves HTTP. No dependency is consulted, so an outage never restarts it. */
  @Get('live')
  @HealthCheck()
  liveness(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }
}

/** Each dependency's up/down, without the messages terminus carries (URLs, addresses). */
function redact(report: HealthCheckResult): HealthCheckResult {
  const bare = (section: HealthCheckResult['info']): HealthIndicatorResult => {
    const out: HealthIndicatorResult = {};
    for (const [name, result] of Object.entries(section ?? {})) {
      if (result) out[name] = { status: result.status };
    }
    return out;
  };
  return {
    status: report.status,
    info: bare(report.info),
    error: bare(report.error),
    details: bare(report.details),
  };
}
