export * from './refund-retry.queue';
export * from './settlement.queue';
