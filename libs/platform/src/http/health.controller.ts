import { Controller, Get, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HEALTH_PROBES, HealthProbe, HealthReport, runHealthProbes } from './health-probes';
import { PlatformResponse } from './platform-request';
import { Public } from './public.decorator';

const healthReportSchema = (...statuses: Array<'ok' | 'degraded' | 'down'>) => ({
  type: 'object',
  required: ['status', 'checks', ...(statuses.includes('ok') ? [] : ['errors'])],
  properties: {
    status: { type: 'string', enum: statuses },
    checks: { type: 'object', additionalProperties: { type: 'string', enum: ['up', 'degraded', 'down'] } },
    errors: { type: 'object', additionalProperties: { type: 'string' } },
  },
});

/** `GET /health`: 200 when every dependency answers, 503 naming the ones that do not. */
@ApiTags('platform')
@Controller('health')
export class HealthController {
  private probes: readonly HealthProbe[] | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Checks Kafka, MongoDB and Redis; 503 when one of them is down' })
  @ApiResponse({ status: 200, description: 'Every dependency answers (degraded: a non-critical check failed, e.g. a lagging view)', schema: healthReportSchema('ok', 'degraded') })
  @ApiResponse({ status: 503, description: 'A dependency does not answer; `errors` says why', schema: healthReportSchema('down') })
  async health(@Res({ passthrough: true }) response: PlatformResponse): Promise<HealthReport> {
    const report = await runHealthProbes(this.resolveProbes());
    response.status(report.status === 'down' ? 503 : 200);
    return report;
  }

  /** Looked up across the whole app, so a service can provide its probes in any of its modules. */
  private resolveProbes(): readonly HealthProbe[] {
    if (this.probes === undefined) {
      try {
        this.probes = this.moduleRef.get<readonly HealthProbe[]>(HEALTH_PROBES, { strict: false });
      } catch {
        this.probes = [];
      }
    }
    return this.probes;
  }
}
