import { ChangeProductHandler } from './change-product.handler';
import { PurchaseActionHandler } from './purchase-action.handler';
import { RetryBillHandler } from './retry-bill.handler';
import { RunBillingHandler } from './billing-run.handler';

export * from './aggregates';
export * from './billing-run.handler';
export * from './change-product.handler';
export * from './purchase-action.handler';
export * from './retry-bill.handler';

export const COMMAND_HANDLERS = [PurchaseActionHandler, ChangeProductHandler, RunBillingHandler, RetryBillHandler];
