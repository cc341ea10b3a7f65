export * from './fulfillments.view';
export * from './order-facts.view';
export * from './ship-to.view';
export * from './campaign-limits.view';
export * from './fulfillment-views';
