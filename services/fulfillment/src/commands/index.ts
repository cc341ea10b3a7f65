import { ApplyHouseUpdateHandler } from './apply-house-update.handler';
import { ChangeFulfillmentHandler } from './change-fulfillment.handler';
import { CreateFulfillmentHandler } from './create-fulfillment.handler';
import { ReshipFulfillmentHandler } from './reship-fulfillment.handler';
import { RunExportHandler } from './run-export.handler';

export * from './aggregates';
export * from './apply-house-update.handler';
export * from './change-fulfillment.handler';
export * from './create-fulfillment.handler';
export * from './reship-fulfillment.handler';
export * from './run-export.handler';

/** Every command handler of the fulfillment service, for the module's providers. */
export const COMMAND_HANDLERS = [CreateFulfillmentHandler, ChangeFulfillmentHandler, ReshipFulfillmentHandler, RunExportHandler, ApplyHouseUpdateHandler];
