export * from './purchase.events';
export * from './rebill-requested.event';
