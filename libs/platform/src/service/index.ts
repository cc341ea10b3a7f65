export * from './platform';
export * from './event-consumer';
export * from './aggregate-runner-of';
export * from './service-platform.module';
export * from './run-service';
export * from './queue-dashboard.provider';
