export * from './insert-once';
export * from './each-limited';
