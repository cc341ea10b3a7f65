import { ChargeCardHandler } from './charge-card.handler';
import { ChangeChargebackHandler } from './chargeback.handler';
import { RecordCodOutcomeHandler } from './cod-outcome.handler';
import { RecordNonCardPaymentHandler } from './record-payment.handler';
import { RefundOrderHandler } from './refund-order.handler';
import { RefundTransactionHandler } from './refund-transaction.handler';
import { ResendRefundEmailHandler } from './resend-refund-email.handler';
import { RetryRefundHandler } from './retry-refund.handler';
import { RunSettlementHandler, SettleChargeHandler } from './settle.handler';
import { VoidTransactionHandler } from './void-transaction.handler';

export * from './aggregates';
export * from './charge-reversal.service';
export * from './charge-card.handler';
export * from './record-payment.handler';
export * from './cod-outcome.handler';
export * from './void-transaction.handler';
export * from './refund-transaction.handler';
export * from './refund-order.handler';
export * from './retry-refund.handler';
export * from './chargeback.handler';
export * from './settle.handler';
export * from './resend-refund-email.handler';

/** Every command handler of the payments service, for the module's providers. */
export const COMMAND_HANDLERS = [
  ChargeCardHandler,
  RecordNonCardPaymentHandler,
  RecordCodOutcomeHandler,
  VoidTransactionHandler,
  RefundTransactionHandler,
  RefundOrderHandler,
  RetryRefundHandler,
  ChangeChargebackHandler,
  SettleChargeHandler,
  RunSettlementHandler,
  ResendRefundEmailHandler,
];
