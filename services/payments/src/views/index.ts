export * from './transactions.view';
export * from './order-payment-methods.view';
export * from './customer-emails.view';
export * from './payments-views';
