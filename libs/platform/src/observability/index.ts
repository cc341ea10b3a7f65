export * from './request-context';
export * from './logger';
export * from './nest-logger.adapter';
export * from './metrics';
