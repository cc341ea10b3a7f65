import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@continuum/contracts';
import { Mailer, Platform, PLATFORM_CONFIG, PlatformConfig, SentEmailsStore, ServiceDescription, ServicePlatformModule } from '@continuum/platform';
import { AGGREGATES } from './commands/aggregates';
import { BlacklistCustomerHandler } from './commands/blacklist-customer.handler';
import { MergeCustomersHandler } from './commands/merge-customers.handler';
import { PlaceOrderHandler } from './commands/place-order.handler';
import { RebillOrderHandler } from './commands/rebill-order.handler';
import { BlacklistController } from './http/blacklist.controller';
import { CampaignsController } from './http/campaigns.controller';
import { CustomersController } from './http/customers.controller';
import { OrdersController } from './http/orders.controller';
import { OrderEmailsConsumer } from './messaging/order-emails.consumer';
import { ORDERS_MAILER } from './messaging/order-emails';
import { OrderIntakeConsumer } from './messaging/order-intake.consumer';
import { PaymentOutcomesConsumer } from './messaging/payment-outcomes.consumer';
import { RebillRequestedConsumer } from './messaging/rebill-requested.consumer';
import { VIEW_PROVIDERS } from './views/orders-views';
import { CardVaultClient } from './vault/card-vault.client';
import { CARD_VAULT_SETTINGS, loadCardVaultSettings } from './vault/card-vault.settings';

/** The orders service as the platform knows it: its name, its one port, its topics. */
export const ORDERS_SERVICE: ServiceDescription = {
  service: 'orders',
  defaultPort: 3001,
  dlqTopic: Topics.ordersDlq,
  topics: [Topics.ordersEvents, Topics.customersEvents, Topics.ordersIntake, Topics.paymentsEvents, Topics.subscriptionsEvents],
};

/** The orders service: customers, blacklist, campaigns, orders and QA. */
@Module({
  imports: [
    CqrsModule.forRoot(),
    ServicePlatformModule.forService(ORDERS_SERVICE),
  ],
  controllers: [CampaignsController, CustomersController, BlacklistController, OrdersController],
  providers: [
    ...AGGREGATES,
    { provide: CARD_VAULT_SETTINGS, useFactory: (config: PlatformConfig) => loadCardVaultSettings(process.env, config.apiKeys), inject: [PLATFORM_CONFIG] },
    CardVaultClient,
    ...VIEW_PROVIDERS,
    BlacklistCustomerHandler,
    MergeCustomersHandler,
    PlaceOrderHandler,
    RebillOrderHandler,
    PaymentOutcomesConsumer,
    RebillRequestedConsumer,
    OrderIntakeConsumer,
    { provide: ORDERS_MAILER, useFactory: (platform: Platform) => new Mailer(platform.config.smtpUrl, 'Continuum orders <orders@continuum.local>'), inject: [Platform] },
    { provide: SentEmailsStore, useFactory: (platform: Platform) => new SentEmailsStore(platform.connection.db!), inject: [Platform] },
    OrderEmailsConsumer,
  ],
})
export class OrdersModule implements OnModuleDestroy {
  constructor(@Inject(ORDERS_MAILER) private readonly mailer: Mailer) {}

  onModuleDestroy(): void {
    this.mailer.close();
  }
}
