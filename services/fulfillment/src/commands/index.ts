import { ReshipFulfillmentHandler } from './reship-fulfillment.handler';
import { RunExportHandler } from './run-export.handler';

export * from './aggregates';
export * from './reship-fulfillment.handler';
export * from './run-export.handler';

/**
 * The fulfillment use cases of several steps (a reship: two fulfillments; an export run: a list,
 * look-ups and an export each). Every other use case is one call of `FulfillmentAggregate.run`.
 */
export const COMMAND_HANDLERS = [ReshipFulfillmentHandler, RunExportHandler];
