export * from './retention';
export * from './retention-sweeper';
