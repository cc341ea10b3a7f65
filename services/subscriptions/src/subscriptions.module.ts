import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@continuum/contracts';
import { PLATFORM_CONFIG, PlatformConfig, ServiceDescription, ServicePlatformModule, queueDashboard } from '@continuum/platform';
import { COMMAND_HANDLERS, PAYMENTS_CLIENT_SETTINGS, PaymentsClient, PurchaseAggregate, loadPaymentsClientSettings } from './commands';
import { CONTROLLERS } from './http';
import { BillingRunQueue, RebillOutcomeSweeper, RebillResolveQueue, RecycleQueue } from './jobs';
import { CONSUMERS } from './messaging';
import { SUBSCRIPTIONS_SETTINGS, loadSubscriptionsSettings } from './subscriptions-settings';
import { VIEW_PROVIDERS } from './views';

/** The subscriptions service as the platform knows it: its name, its one port, its topics. */
export const SUBSCRIPTIONS_SERVICE: ServiceDescription = {
  service: 'subscriptions',
  defaultPort: 3004,
  dlqTopic: Topics.subscriptionsDlq,
  topics: [Topics.subscriptionsEvents, Topics.ordersEvents, Topics.paymentsEvents, Topics.fulfillmentEvents],
};

/**
 * The subscriptions service: continuity purchases started by completed orders, every agent action on
 * them, rebill runs (daily job and POST /billing-runs), recycle billing on BullMQ, and the profile.
 */
@Module({
  imports: [ServicePlatformModule.forService(SUBSCRIPTIONS_SERVICE), CqrsModule.forRoot()],
  controllers: CONTROLLERS,
  providers: [
    { provide: SUBSCRIPTIONS_SETTINGS, useFactory: () => loadSubscriptionsSettings(process.env) },
    { provide: PAYMENTS_CLIENT_SETTINGS, useFactory: (config: PlatformConfig) => loadPaymentsClientSettings(process.env, config.apiKeys), inject: [PLATFORM_CONFIG] },
    PaymentsClient,
    ...VIEW_PROVIDERS,
    PurchaseAggregate,
    ...COMMAND_HANDLERS,
    RecycleQueue,
    BillingRunQueue,
    RebillResolveQueue,
    queueDashboard(BillingRunQueue, RecycleQueue, RebillResolveQueue, RebillOutcomeSweeper),
    RebillOutcomeSweeper,
    ...CONSUMERS,
  ],
  exports: [RecycleQueue, BillingRunQueue, RebillOutcomeSweeper, RebillResolveQueue],
})
export class SubscriptionsModule {}
