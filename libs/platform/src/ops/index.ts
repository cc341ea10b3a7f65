export * from './dead-letters';
export * from './dead-letters.controller';
export * from './sweepers';
export * from './ops-settings';
export * from './ops-status';
export * from './ops-metrics';
export * from './ops-health';
export * from './ops.controller';
