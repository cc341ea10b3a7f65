export * from './campaign.events';
export * from './custom-fields';
export * from './order.events';
export * from './order-email.events';
export * from './order-limits';
export * from './order-pricing';
export * from './place-order.message';
