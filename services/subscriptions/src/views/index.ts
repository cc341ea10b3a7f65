export * from './campaign-catalog';
export * from './purchases.view';
