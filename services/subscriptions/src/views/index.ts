export * from './campaign-catalog';
export * from './order-fulfillments.store';
export * from './purchases.view';
