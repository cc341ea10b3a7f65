import { Env, envInt } from '@continuum/platform';

/** The fulfillment service's own settings, read once at start. */
export interface FulfillmentSettings {
  /** how often the export run sends HOLD fulfillments to the houses (EXPORT_INTERVAL_MS, default hourly) */
  readonly exportIntervalMs: number;
}

/** Injection token for FulfillmentSettings. */
export const FULFILLMENT_SETTINGS = Symbol('FULFILLMENT_SETTINGS');

/** Reads the fulfillment settings; a bad value throws a ConfigError that names the variable. */
export function loadFulfillmentSettings(env: Env = process.env): FulfillmentSettings {
  return { exportIntervalMs: envInt(env, 'EXPORT_INTERVAL_MS', 3_600_000, { min: 1_000 }) };
}
