export * from './billing-run.queue';
export * from './rebill-outcome.sweeper';
export * from './recycle.queue';
export * from './rebill-resolve.queue';
