import 'reflect-metadata';
import { runService } from '@continuum/platform';
import { loadFulfillmentSettings } from './fulfillment-settings';
import { FULFILLMENT_SERVICE, FulfillmentModule } from './fulfillment.module';

void runService(FulfillmentModule, FULFILLMENT_SERVICE, {
  title: 'Continuum fulfillment',
  summary: 'Fulfillments and their lifecycle, COD actions, the export run to fulfillment houses (fulfillment.requests.v1) and their updates (fulfillment.updates.v1 or HTTP).',
  settings: [loadFulfillmentSettings],
});
