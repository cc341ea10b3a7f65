export * from './fulfillment-events';
export * from './fulfillment-request.message';
export * from './fulfillment-inputs';
