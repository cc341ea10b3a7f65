export * from './decider-spec';
export * from './integration';
