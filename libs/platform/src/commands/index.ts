export * from './command-context';
export * from './command-runner';
export * from './aggregate-runner';
export * from './derived-id';
export * from './id-source';
export * from './reaction-work';
