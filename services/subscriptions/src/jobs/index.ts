export * from './billing-run.queue';
export * from './recycle.queue';
