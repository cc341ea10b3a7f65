import 'reflect-metadata';
import { ConfigError, bootstrapService, loadPlatformConfig } from '@continuum/platform';
import { OrdersModule } from './orders.module';
import { loadCardVaultSettings } from './vault/card-vault.settings';

async function main(): Promise<void> {
  let config;
  try {
    config = loadPlatformConfig('orders', process.env, { port: 3001 });
    loadCardVaultSettings(process.env, config.apiKeys);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`orders: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  await bootstrapService(OrdersModule, { config, title: 'Continuum orders', description: 'Customers, blacklist, campaigns, orders and QA' });
}

void main();
