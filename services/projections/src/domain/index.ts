export * from './customer-history';
export * from './customer-search';
export * from './order-search';
export * from './journal';
export * from './money';
export * from './order-summary';
export * from './routing';
export * from './timeline';
