export * from './campaign.events';
export * from './order.events';
export * from './place-order.message';
