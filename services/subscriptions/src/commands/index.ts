import { RunBillingHandler } from './billing-run.handler';

export * from './aggregates';
export * from './billing-run.handler';

export const COMMAND_HANDLERS = [RunBillingHandler];
