import { ChargeCardHandler } from './charge-card.handler';
import { ChargeStatusHandler } from './charge-status.handler';
import { ChargeReversalHandler } from './charge-reversal.handler';
import { RefundOrderHandler } from './refund-order.handler';
import { RunSettlementHandler } from './settlement-run.handler';
import { ResolveVoidReservationHandler } from './void-reservation.handler';

export * from './aggregates';
export * from './charge-card.handler';
export * from './charge-status.handler';
export * from './charge-reversal.handler';
export * from './refund-order.handler';
export * from './settlement-run.handler';
export * from './void-reservation.handler';

/**
 * The payments workflows (use cases of several steps, each one CQRS command and its handler): charge a
 * card, reverse a charge (void or refund), refund an order, run a settlement, resolve a void reservation left behind, tell an order's charge status. A use case that is one
 * decision on one transaction has no handler: its adapter calls `TransactionAggregate` directly.
 */
export const COMMAND_HANDLERS = [ChargeCardHandler, ChargeReversalHandler, RefundOrderHandler, RunSettlementHandler, ResolveVoidReservationHandler, ChargeStatusHandler];
