export * from './append.types';
export * from './command-hash';
export * from './commit.schema';
export * from './concurrency.error';
export * from './event-store';
export * from './outbox-entries';
