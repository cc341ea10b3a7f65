export * from './platform';
export * from './service-platform.module';
export * from './run-service';
