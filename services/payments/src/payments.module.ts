import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Topics } from '@continuum/contracts';
import { Mailer, Platform, SentEmailsStore, ServiceDescription, ServicePlatformModule, queueDashboard } from '@continuum/platform';
import { COMMAND_HANDLERS, TransactionAggregate } from './commands';
import { PAYMENT_GATEWAY, TestGateway } from './gateway';
import { CONTROLLERS } from './http';
import { ChargeQueue, PaymentsSweepsQueue, RefundRetryQueue, SettlementQueue, SettlementRunQueue } from './jobs';
import { CONSUMERS, PAYMENTS_MAILER, PaymentsReactionWork, RefundMailer } from './messaging';
import { PAYMENTS_SETTINGS, loadPaymentsSettings } from './payments-settings';
import { VIEW_PROVIDERS } from './views';
import { CARD_VAULT_KEYS, CardVault, loadCardVaultKeys } from './vault';

/** The payments service as the platform knows it: its name, its one port, its topics. */
export const PAYMENTS_SERVICE: ServiceDescription = {
  service: 'payments',
  defaultPort: 3002,
  dlqTopic: Topics.paymentsDlq,
  topics: [Topics.paymentsEvents, Topics.ordersEvents, Topics.fulfillmentEvents, Topics.customersEvents],
};

/**
 * The payments service: the card vault, transactions on the test gateway, reactions to orders and fulfillment
 * events, the refund retry queue and settlement on BullMQ, refund emails, and the HTTP API.
 */
@Module({
  imports: [
    ServicePlatformModule.forService(PAYMENTS_SERVICE),
    CqrsModule.forRoot(),
  ],
  controllers: CONTROLLERS,
  providers: [
    { provide: PAYMENTS_SETTINGS, useFactory: () => loadPaymentsSettings(process.env) },
    { provide: CARD_VAULT_KEYS, useFactory: () => loadCardVaultKeys(process.env) },
    CardVault,
    { provide: PAYMENT_GATEWAY, useFactory: (vault: CardVault) => new TestGateway(vault), inject: [CardVault] },
    { provide: PAYMENTS_MAILER, useFactory: (platform: Platform) => new Mailer(platform.config.smtpUrl, 'Continuum payments <payments@continuum.local>'), inject: [Platform] },
    ...VIEW_PROVIDERS,
    { provide: SentEmailsStore, useFactory: (platform: Platform) => new SentEmailsStore(platform.connection.db!), inject: [Platform] },
    TransactionAggregate,
    ...COMMAND_HANDLERS,
    ChargeQueue,
    RefundRetryQueue,
    SettlementQueue,
    SettlementRunQueue,
    PaymentsSweepsQueue,
    PaymentsReactionWork,
    RefundMailer,
    ...CONSUMERS,
    queueDashboard(ChargeQueue, RefundRetryQueue, SettlementQueue, SettlementRunQueue, PaymentsSweepsQueue),
  ],
  exports: [ChargeQueue, RefundRetryQueue, SettlementQueue, SettlementRunQueue, PaymentsSweepsQueue],
})
export class PaymentsModule implements OnModuleDestroy {
  constructor(@Inject(PAYMENTS_MAILER) private readonly mailer: Mailer) {}

  onModuleDestroy(): void {
    this.mailer.close();
  }
}
