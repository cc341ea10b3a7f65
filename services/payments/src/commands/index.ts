import { ChargeCardHandler } from './charge-card.command';
import { ChangeChargebackHandler } from './chargeback.command';
import { RecordCodOutcomeHandler } from './cod-outcome.command';
import { RecordNonCardPaymentHandler } from './record-payment.command';
import { RefundOrderHandler } from './refund-order.command';
import { RefundTransactionHandler } from './refund-transaction.command';
import { ResendRefundEmailHandler } from './resend-refund-email.command';
import { RetryRefundHandler } from './retry-refund.command';
import { RunSettlementHandler, SettleChargeHandler } from './settle.command';
import { VoidTransactionHandler } from './void-transaction.command';

export * from './transaction-runner';
export * from './charge-reversal.service';
export * from './charge-card.command';
export * from './record-payment.command';
export * from './cod-outcome.command';
export * from './void-transaction.command';
export * from './refund-transaction.command';
export * from './refund-order.command';
export * from './retry-refund.command';
export * from './chargeback.command';
export * from './settle.command';
export * from './resend-refund-email.command';

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
