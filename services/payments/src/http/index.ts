import { CardsController } from './cards.controller';
import { ChargeStatusController } from './charge-status.controller';
import { OrderRefundsController } from './order-refunds.controller';
import { RefundsController } from './refunds.controller';
import { SettlementRunsController } from './settlement-runs.controller';
import { TransactionsController } from './transactions.controller';

export * from './gateway-timeout.interceptor';

/** Every HTTP controller of the payments service. */
export const CONTROLLERS = [TransactionsController, OrderRefundsController, RefundsController, SettlementRunsController, CardsController, ChargeStatusController];
