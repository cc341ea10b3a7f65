import { CustomerEmailsConsumer } from './customer-emails.consumer';
import { CustomerRefundEmailConsumer } from './customer-refund-email.consumer';
import { FulfillmentReactionsConsumer } from './fulfillment-reactions.consumer';
import { JobSchedulerConsumer } from './job-scheduler.consumer';
import { OrderReactionsConsumer } from './order-reactions.consumer';
import { RefundAbandonedEmailConsumer } from './refund-abandoned-email.consumer';

export * from './payments-work';
export * from './refund-emails';
export * from './refund-mailer';
export * from './order-reactions.consumer';
export * from './fulfillment-reactions.consumer';
export * from './customer-emails.consumer';
export * from './job-scheduler.consumer';
export * from './refund-abandoned-email.consumer';
export * from './customer-refund-email.consumer';

/** Every Kafka consumer of the payments service (each registers its group at module init). */
export const CONSUMERS = [
  OrderReactionsConsumer,
  FulfillmentReactionsConsumer,
  CustomerEmailsConsumer,
  JobSchedulerConsumer,
  RefundAbandonedEmailConsumer,
  CustomerRefundEmailConsumer,
];
