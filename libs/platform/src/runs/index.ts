export * from './run-record';
export * from './run-store';
export * from './run-queue';
export * from './run-http';
