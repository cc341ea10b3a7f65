export * from './fulfillments.view';
export * from './order-facts.store';
