// The orders domain: pure deciders and policies. Adapters (HTTP, Kafka, jobs) import from here only.
export * from './money';
export * from './customer.decider';
export * from './customer-dedup.policy';
export * from './blacklist.policy';
export * from './blacklist.decider';
export * from './campaign.decider';
export * from './order.commands';
export * from './order-pricing';
export * from './order.state';
export * from './order.decider';
export * from './order.view';
export * from './payment-outcomes.reaction';
export * from './rebill.reaction';
export * from './rebill-answer.decider';
export * from './order.transitions';
export * from './place-order.workflow';
export * from './merge-customers.workflow';
