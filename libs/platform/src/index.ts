export * from './event-store';
export * from './outbox';
export * from './commands';
export * from './kafka';
export * from './http';
export * from './config';
export * from './observability';
export * from './jobs';
