export * from './platform';
export * from './service-platform.module';
