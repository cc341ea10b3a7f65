import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@continuum/contracts';
import { ServiceDescription, ServicePlatformModule, queueDashboard } from '@continuum/platform';
import { COMMAND_HANDLERS, FulfillmentAggregate } from './commands';
import { FULFILLMENT_SETTINGS, loadFulfillmentSettings } from './fulfillment-settings';
import { CONTROLLERS } from './http';
import { ExportRunQueue } from './jobs';
import { CONSUMERS } from './messaging';
import { VIEW_PROVIDERS } from './views';

/** The fulfillment service as the platform knows it: its name, its one port, its topics. */
export const FULFILLMENT_SERVICE: ServiceDescription = {
  service: 'fulfillment',
  defaultPort: 3003,
  dlqTopic: Topics.fulfillmentDlq,
  topics: [Topics.fulfillmentEvents, Topics.fulfillmentRequests, Topics.fulfillmentUpdates, Topics.ordersEvents, Topics.paymentsEvents, Topics.customersEvents],
};

/**
 * The fulfillment service: fulfillments and their lifecycle, COD actions, the export run to the
 * fulfillment houses (BullMQ), their updates (Kafka and HTTP), reactions to orders and payments events.
 */
@Module({
  imports: [ServicePlatformModule.forService(FULFILLMENT_SERVICE), CqrsModule.forRoot()],
  controllers: CONTROLLERS,
  providers: [
    { provide: FULFILLMENT_SETTINGS, useFactory: () => loadFulfillmentSettings(process.env) },
    ...VIEW_PROVIDERS,
    FulfillmentAggregate,
    ...COMMAND_HANDLERS,
    ExportRunQueue,
    ...CONSUMERS,
    queueDashboard(ExportRunQueue),
  ],
  exports: [ExportRunQueue],
})
export class FulfillmentModule {}
