export * from './insert-once';
