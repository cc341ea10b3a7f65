export * from './campaign-catalog.view';
export * from './order-fulfillments.view';
export * from './purchases.view';
