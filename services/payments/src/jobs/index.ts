export * from './refund-retry.queue';
export * from './settlement.queue';
export * from './charge.queue';
