export * from './campaign-catalog.view';
export * from './order-fulfillments.view';
export * from './order-transactions.view';
export * from './placed-orders.view';
export * from './purchases.view';
export * from './rebill-outcomes.view';
export * from './subscriptions-views';
