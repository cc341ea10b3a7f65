export * from './platform';
export * from './service-platform.module';
export * from './run-service';
export * from './queue-dashboard.provider';
