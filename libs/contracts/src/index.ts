export * from './core/actor';
export * from './core/envelope';
export * from './core/decider';
export * from './core/topics';
export * from './core/registry';
export * from './core/schema-helpers';
