export * from './refund-retry.queue';
export * from './settlement.queue';
export * from './charge.queue';
export * from './settlement-run.queue';
export * from './payments-sweeps.queue';
