import { defineSettings, Env, setting, SettingsOf } from '@continuum/platform';

/** The fulfillment service's own settings, read once at start. */
const schema = {
  /** how often the export run sends HOLD fulfillments to the houses (EXPORT_INTERVAL_MS, default hourly) */
  exportIntervalMs: setting.int('EXPORT_INTERVAL_MS', 3_600_000, { min: 1_000 }),
};

export const fulfillmentSettings = defineSettings('fulfillment', schema);
export type FulfillmentSettings = SettingsOf<typeof schema>;

/** Injection token for FulfillmentSettings. */
export const FULFILLMENT_SETTINGS = fulfillmentSettings.token;

/** Reads the fulfillment settings; a bad value throws a ConfigError that names the variable. */
export const loadFulfillmentSettings = (env: Env = process.env): FulfillmentSettings => fulfillmentSettings.load(env);
