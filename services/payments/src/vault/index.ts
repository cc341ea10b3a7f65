export * from './card-cipher';
export * from './card-vault';
export * from './card-vault-keys';
