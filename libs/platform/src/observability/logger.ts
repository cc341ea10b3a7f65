import pino, { DestinationStream, Logger } from 'pino';
import { currentContext } from './request-context';

/**
 * The service's JSON logger. Every line carries `service` and, inside a request or message, its
 * `correlationId`, so one id finds everything a request caused across services:
 * `createLogger('orders', config.logLevel).info({ orderId }, 'order placed')`.
 * `destination` is for tests that capture the lines; by default lines go to stdout.
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const context = currentContext();
      return context ? { correlationId: context.correlationId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
