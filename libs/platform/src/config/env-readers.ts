import { ConfigError } from './config-error';

/** The environment as a plain map, so tests can pass their own instead of process.env. */
export type Env = Readonly<Record<string, string | undefined>>;

/** An unset variable and one set to blanks mean the same: use the default. */
function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * A whole number, e.g. `envInt(env, 'REFUND_RETRY_DELAY_MS', 86_400_000, { min: 0 })`.
 * Anything that is not a plain integer (`1e3`, `12ms`, `3.5`) or lies outside the bounds throws.
 */
export function envInt(env: Env, name: string, defaultValue: number, bounds: { min?: number; max?: number } = {}): number {
  const value = raw(env, name);
  if (value === undefined) return defaultValue;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(name, value, 'expected a whole number');
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new ConfigError(name, value, 'number is too large');
  if (bounds.min !== undefined && parsed < bounds.min) throw new ConfigError(name, value, `must be at least ${bounds.min}`);
  if (bounds.max !== undefined && parsed > bounds.max) throw new ConfigError(name, value, `must be at most ${bounds.max}`);
  return parsed;
}

/** A string, optionally one of a fixed set: `envString(env, 'LOG_LEVEL', 'info', ['info', 'debug'])`. */
export function envString<T extends string = string>(env: Env, name: string, defaultValue: T, allowed?: readonly T[]): T {
  const value = raw(env, name);
  if (value === undefined) return defaultValue;
  if (allowed && !allowed.includes(value as T)) throw new ConfigError(name, value, `expected one of ${allowed.join(', ')}`);
  return value as T;
}

/** A comma-separated list, entries trimmed and empty entries dropped: `NOTIFY_EMAILS=a@x, b@x`. */
export function envList(env: Env, name: string, defaultValue: readonly string[]): string[] {
  const value = raw(env, name);
  if (value === undefined) return [...defaultValue];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * A URL whose scheme is one of `protocols` (without the colon), e.g.
 * `envUrl(env, 'SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp', 'smtps'])`. Returned as given.
 */
export function envUrl(env: Env, name: string, defaultValue: string, protocols: readonly string[]): string {
  const value = raw(env, name);
  if (value === undefined) return defaultValue;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, value, 'not a valid URL');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!protocols.includes(scheme)) throw new ConfigError(name, value, `expected a ${protocols.join(' or ')} URL`);
  return value;
}
