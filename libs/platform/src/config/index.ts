export * from './config-error';
export * from './env-readers';
export * from './settings';
export * from './api-keys';
export * from './platform-config';
