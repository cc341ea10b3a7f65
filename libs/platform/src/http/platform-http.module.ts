import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** /health and /metrics. bootstrapService adds it to every service; importing it again is harmless. */
@Module({ controllers: [HealthController, MetricsController] })
export class PlatformHttpModule {}
