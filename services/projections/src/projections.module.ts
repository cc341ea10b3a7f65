import { Module } from '@nestjs/common';
import { Topics } from '@continuum/contracts';
import { ServiceDescription, ServicePlatformModule } from '@continuum/platform';
import { CONTROLLERS } from './http';
import { loadProjectionsSettings, PROJECTIONS_SETTINGS } from './projections-settings';
import { RebuildsService } from './rebuilds/rebuilds.service';
import { CustomerProjections, EVENT_TOPICS } from './views/customer-projections';
import { ReportsView } from './views/reports.view';

/** The projections service as the platform knows it: its name, its one port, its topics. */
export const PROJECTIONS_SERVICE: ServiceDescription = {
  service: 'projections',
  defaultPort: 3005,
  dlqTopic: Topics.projectionsDlq,
  topics: [...EVENT_TOPICS],
};

/**
 * The projections service: the customer history (with its timeline and as-of reads), order
 * summaries and customer search, folded from every service's events; rebuilds and lag.
 */
@Module({
  imports: [ServicePlatformModule.forService(PROJECTIONS_SERVICE)],
  controllers: CONTROLLERS,
  providers: [{ provide: PROJECTIONS_SETTINGS, useFactory: () => loadProjectionsSettings(process.env) }, CustomerProjections, RebuildsService, ReportsView],
})
export class ProjectionsModule {}
