export * from './transaction-read-model';
export * from './order-payment-method.read-model';
export * from './customer-email.read-model';
