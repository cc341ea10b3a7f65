import { FulfillmentReactionsConsumer } from './fulfillment-reactions.consumer';
import { JobSchedulerConsumer } from './job-scheduler.consumer';
import { OrderReactionsConsumer } from './order-reactions.consumer';
import { PaymentReactionsConsumer } from './payment-reactions.consumer';

export * from './fulfillment-reactions.consumer';
export * from './job-scheduler.consumer';
export * from './order-reactions.consumer';
export * from './payment-reactions.consumer';

export const CONSUMERS = [OrderReactionsConsumer, PaymentReactionsConsumer, FulfillmentReactionsConsumer, JobSchedulerConsumer];
