import 'reflect-metadata';
import { runService } from '@continuum/platform';
import { ORDERS_SERVICE, OrdersModule } from './orders.module';
import { loadCardVaultSettings } from './vault/card-vault.settings';

void runService(OrdersModule, ORDERS_SERVICE, {
  title: 'Continuum orders',
  summary: 'Customers, blacklist, campaigns, orders and QA',
  settings: [(env, config) => loadCardVaultSettings(env, config.apiKeys)],
});
