import { Controller, Get, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ConsumerHealth, HEALTH_CONSUMERS, HEALTH_PROBES, HealthProbe, HealthReport, runHealthProbes, withConsumers } from './health-probes';
import { PlatformResponse } from './platform-request';
import { Public } from './public.decorator';

const healthReportSchema = (...statuses: Array<'ok' | 'degraded' | 'down'>) => ({
  type: 'object',
  required: ['status', 'checks', ...(statuses.includes('ok') ? [] : ['errors'])],
  properties: {
    status: { type: 'string', enum: statuses },
    checks: { type: 'object', additionalProperties: { type: 'string', enum: ['up', 'degraded', 'down'] } },
    errors: { type: 'object', additionalProperties: { type: 'string' } },
    consumers: {
      type: 'object',
      description: 'The consumer groups of the service and whether each runs: `joining` after a start (they join after the service listens) or a rebalance, `failed` when one crashed for good',
      additionalProperties: { type: 'string', enum: ['running', 'joining', 'failed'] },
    },
  },
});

/**
 * `GET /health`: 200 when the service takes commands, 503 naming the critical checks that fail. A
 * failing non-critical check or a consumer group not running (yet) makes it 200 `degraded`.
 */
@ApiTags('platform')
@Controller('health')
export class HealthController {
  private probes: readonly HealthProbe[] | undefined;
  private consumers: (() => Readonly<Record<string, ConsumerHealth>>) | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Checks the service, MongoDB, Redis and Kafka and lists its consumer groups; 503 while it cannot take commands' })
  @ApiResponse({
    status: 200,
    description: 'The service takes commands (degraded: a non-critical check failed, e.g. Kafka or a lagging view, a consumer group is not running yet, or consumer lag, the outbox or failed jobs are past their OPS_* threshold)',
    schema: healthReportSchema('ok', 'degraded'),
  })
  @ApiResponse({ status: 503, description: 'The service cannot take commands: a critical check fails (MongoDB, Redis, the service not started yet); `errors` says why', schema: healthReportSchema('down') })
  async health(@Res({ passthrough: true }) response: PlatformResponse): Promise<HealthReport> {
    const report = withConsumers(await runHealthProbes(this.resolveProbes()), this.resolveConsumers()());
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

  private resolveConsumers(): () => Readonly<Record<string, ConsumerHealth>> {
    if (this.consumers === undefined) {
      try {
        this.consumers = this.moduleRef.get<() => Readonly<Record<string, ConsumerHealth>>>(HEALTH_CONSUMERS, { strict: false });
      } catch {
        this.consumers = () => ({});
      }
    }
    return this.consumers;
  }
}
