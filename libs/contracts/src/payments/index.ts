export * from './card-number';
export * from './payment-types';
export * from './payment-events';
