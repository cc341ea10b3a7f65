export * from './build-asyncapi';
export * from './dead-letter.schema';
export * from './render-asyncapi';
