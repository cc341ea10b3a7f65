export * from './calendar';
export * from './purchase.commands';
export * from './purchase.state';
export * from './purchase.decider';
export * from './purchase.reactions';
export * from './purchase.profile';
export * from './order-transactions';
export * from './billing-run.workflow';
