import 'reflect-metadata';
import { ConfigError, bootstrapService, loadPlatformConfig } from '@continuum/platform';
import { PaymentsModule } from './payments.module';
import { loadPaymentsSettings } from './payments-settings';
import { loadCardVaultKeys } from './vault';

/** Starts the payments service (port 3002 unless PORT is set). */
async function main(): Promise<void> {
  const config = loadPlatformConfig('payments', process.env, { port: 3002 });
  // Checked here too, so a bad value stops the process before anything connects.
  loadPaymentsSettings(process.env);
  loadCardVaultKeys(process.env);
  await bootstrapService(PaymentsModule, {
    config,
    title: 'Continuum payments',
    description: 'Transactions, test gateway, settlement, voids and refunds, the refund retry queue, COD and chargebacks.',
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`payments: configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(`payments: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
