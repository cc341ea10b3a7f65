// The fulfillment domain's public surface: what adapters (HTTP, Kafka consumers, the export job) use.
export * from './fulfillment.commands';
export * from './fulfillment.state';
export * from './fulfillment.decider';
export * from './fulfillment-ids';
export * from './order.reactions';
export * from './upsell.reactions';
export * from './house-updates';
export * from './fulfillment.transitions';
export * from './reship.workflow';
export * from './export-run.workflow';
