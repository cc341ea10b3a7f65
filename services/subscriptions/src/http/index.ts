import { BillingRunsController } from './billing-runs.controller';
import { PurchasesController } from './purchases.controller';

export * from './purchase.dto';

/** Every HTTP controller of the subscriptions service. */
export const CONTROLLERS = [PurchasesController, BillingRunsController];
