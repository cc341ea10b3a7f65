export * from './billing-run.queue';
export * from './rebill-outcome.sweeper';
export * from './recycle.queue';
