export * from './rebill-requested.event';
