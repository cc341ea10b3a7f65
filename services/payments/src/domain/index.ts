// The payments domain's public surface: what adapters (HTTP, Kafka reactions, the refund queue) use.
export * from './card';
export * from './refund-policy';
export * from './settlement.policy';
export * from './order-refund.policy';
export * from './rerun.policy';
export * from './transaction.commands';
export * from './transaction.state';
export * from './transaction.decider';
export * from './transaction.view';

/** The event-store stream of a transaction. */
export const transactionStreamId = (transactionId: string): string => `transaction-${transactionId}`;
export * from './transaction-ids';
export * from './order.reactions';
export * from './charge-reversal.workflow';
export * from './transaction.transitions';
export * from './charge-card.workflow';
export * from './reversal-sweeps.workflow';
export * from './charge-status.workflow';
