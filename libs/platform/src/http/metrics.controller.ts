import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { metrics } from '../observability';
import { Roles } from './roles.decorator';

/**
 * `GET /metrics`: the Prometheus text exposition of the service's registry. Not public: it names
 * routes, volumes and error rates, which is operations data. Admins (people on call) and the
 * `service` role (the Prometheus scraper, configured with `authorization: { credentials: <key> }`)
 * may read it; agents and fulfillment houses are 403, no key is 401.
 */
@ApiTags('platform')
@Controller('metrics')
export class MetricsController {
  @Roles('admin', 'service')
  @Get()
  @Header('Content-Type', metrics.contentType)
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics (admin and service keys)' })
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } })
  scrape(): Promise<string> {
    return metrics.metrics();
  }
}
