export * from './config-error';
export * from './env-readers';
export * from './api-keys';
export * from './platform-config';
