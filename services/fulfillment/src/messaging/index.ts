import { HouseUpdatesConsumer } from './house-updates.consumer';
import { OrderFactsConsumer } from './order-facts.consumer';
import { OrderReactionsConsumer } from './order-reactions.consumer';
import { RequestsPublisherConsumer } from './requests-publisher.consumer';

export * from './house-updates.consumer';
export * from './order-facts.consumer';
export * from './order-reactions.consumer';
export * from './requests-publisher.consumer';

/** Every Kafka consumer of the fulfillment service. */
export const CONSUMERS = [OrderFactsConsumer, OrderReactionsConsumer, RequestsPublisherConsumer, HouseUpdatesConsumer];
