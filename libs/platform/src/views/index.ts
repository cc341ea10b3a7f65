export * from './view-definition';
export * from './view-store';
