export * from './fulfillment-events';
