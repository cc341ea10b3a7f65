import { ExportRunsController } from './export-runs.controller';
import { FulfillmentUpdatesController } from './fulfillment-updates.controller';
import { FulfillmentsController } from './fulfillments.controller';


/** Every HTTP controller of the fulfillment service. */
export const CONTROLLERS = [FulfillmentsController, ExportRunsController, FulfillmentUpdatesController];
