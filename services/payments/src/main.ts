import 'reflect-metadata';
import { runService } from '@continuum/platform';
import { PAYMENTS_SERVICE, PaymentsModule } from './payments.module';
import { loadPaymentsSettings } from './payments-settings';
import { loadCardVaultKeys } from './vault';

void runService(PaymentsModule, PAYMENTS_SERVICE, {
  title: 'Continuum payments',
  summary: 'The card vault, transactions, test gateway, settlement, voids and refunds, the refund retry queue, COD and chargebacks.',
  settings: [loadPaymentsSettings, loadCardVaultKeys],
});
