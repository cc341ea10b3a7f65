export * from './address.schema';
export * from './customer.events';
export * from './blacklist.events';
