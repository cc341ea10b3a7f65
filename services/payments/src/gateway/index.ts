export * from './payment-gateway.port';
export * from './test-gateway';
