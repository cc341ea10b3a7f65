export * from './decider-spec';
export * from './integration';
export * from './openapi-fuzz';
