import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { metrics } from '../observability';
import { Public } from './public.decorator';

/** `GET /metrics`: the Prometheus text exposition of the service's registry. */
@ApiTags('platform')
@Controller('metrics')
export class MetricsController {
  @Public()
  @Get()
  @Header('Content-Type', metrics.contentType)
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics' })
  scrape(): Promise<string> {
    return metrics.metrics();
  }
}
