import { DynamicModule, Type } from '@nestjs/common';
import { ConfigError, loadPlatformConfig, PlatformConfig } from '../config';
import { bootstrapService } from '../http';
import { Platform, ServiceDescription } from './platform';

export interface RunServiceOptions {
  /** OpenAPI title, e.g. 'Continuum orders' */
  readonly title: string;
  /** OpenAPI description: what the service owns */
  readonly summary: string;
  /** the service's own settings readers, run before anything connects so a bad value stops the start */
  readonly settings?: readonly ((env: NodeJS.ProcessEnv, config: PlatformConfig) => unknown)[];
}

/**
 * A service's `main.ts` in one call: reads and checks the configuration (the platform's and the
 * service's own), then starts the app on `PORT`, else the description's `defaultPort`. A bad value
 * ends the process with code 1 and a line that names it; any other start failure with its stack.
 * The app listens once its store, event store, views and relay are ready; its consumer groups join
 * after that (see ServicePlatformModule), and one that cannot start or join in time ends the
 * process the same way, so a supervisor starts it again as it would after a failed start.
 *
 *   void runService(OrdersModule, ORDERS_SERVICE, { title: 'Continuum orders', summary: '...' });
 */
export async function runService(module: Type<unknown> | DynamicModule, service: ServiceDescription, options: RunServiceOptions): Promise<void> {
  try {
    const config = loadPlatformConfig(service.service, process.env, { port: service.defaultPort });
    for (const read of options.settings ?? []) read(process.env, config);
    const app = await bootstrapService(module, { config, title: options.title, description: options.summary });
    app
      .get(Platform, { strict: false })
      .consumersJoined()
      .catch((error: unknown) => exitFailed(service, error));
  } catch (error) {
    exitFailed(service, error);
  }
}

function exitFailed(service: ServiceDescription, error: unknown): void {
  const line =
    error instanceof ConfigError
      ? `${service.service}: configuration error: ${error.message}\n`
      : `${service.service}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
  // exit once the line is written: stderr to a pipe is asynchronous, and an exit cuts it short
  process.exitCode = 1;
  process.stderr.write(line, () => process.exit(1));
}
