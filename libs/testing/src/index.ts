export * from './decider-spec';
export * from './integration';
export * from './reaction-spec';
export * from './service-process';
export * from './openapi-fuzz';
