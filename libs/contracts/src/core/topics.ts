/** Every Kafka topic Continuum owns. Domain events: `<context>.events.v1`; dead letters: `<context>.dlq.v1`. */
export const Topics = {
  ordersEvents: 'orders.events.v1',
  customersEvents: 'customers.events.v1',
  paymentsEvents: 'payments.events.v1',
  fulfillmentEvents: 'fulfillment.events.v1',
  subscriptionsEvents: 'subscriptions.events.v1',
  ordersIntake: 'orders.intake.v1',
  fulfillmentRequests: 'fulfillment.requests.v1',
  fulfillmentUpdates: 'fulfillment.updates.v1',
  ordersDlq: 'orders.dlq.v1',
  paymentsDlq: 'payments.dlq.v1',
  fulfillmentDlq: 'fulfillment.dlq.v1',
  subscriptionsDlq: 'subscriptions.dlq.v1',
  projectionsDlq: 'projections.dlq.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const CONTEXTS = ['orders', 'customers', 'payments', 'fulfillment', 'subscriptions', 'projections'] as const;
export type Context = (typeof CONTEXTS)[number];

export const dlqTopicFor = (context: Context): string => `${context}.dlq.v1`;
