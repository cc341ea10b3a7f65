import { RunBillingHandler } from './billing-run.handler';
import { ResolveRebillHandler } from './resolve-rebill.handler';

export * from './aggregates';
export * from './billing-run.handler';
export * from './payments-client';
export * from './resolve-rebill.handler';

export const COMMAND_HANDLERS = [RunBillingHandler, ResolveRebillHandler];
