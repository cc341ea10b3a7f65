export * from './view-definition';
export * from './view-store';
export * from './read-your-writes';
