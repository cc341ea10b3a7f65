export * from './purchase.events';
export * from './rebill-requested.event';
export * from './rebill-refused.event';
