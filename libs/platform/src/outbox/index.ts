export * from './lease';
export * from './outbox-message';
export * from './outbox-relay';
