import { ConfigError } from './config-error';
import { Env, envInt, envList, envString, envUrl } from './env-readers';

/**
 * One environment variable of a settings schema: its name and how it is read (type, default,
 * bounds). Reading a bad value throws a ConfigError that names the variable and the value.
 */
export interface Setting<T> {
  readonly variable: string;
  read(env: Env): T;
  /** the same setting with one more rule: `check` answers why a value is refused, or undefined to take it */
  where(check: (value: T) => string | undefined): Setting<T>;
}

function declare<T>(variable: string, read: (env: Env) => T): Setting<T> {
  return {
    variable,
    read,
    where: (check) =>
      declare(variable, (env) => {
        const value = read(env);
        const refused = check(value);
        if (refused !== undefined) throw new ConfigError(variable, env[variable]?.trim() ?? '', refused);
        return value;
      }),
  };
}

function stringSetting(variable: string, defaultValue: string): Setting<string>;
function stringSetting<T extends string>(variable: string, defaultValue: NoInfer<T>, allowed: readonly T[]): Setting<T>;
function stringSetting(variable: string, defaultValue: string, allowed?: readonly string[]): Setting<string> {
  return declare(variable, (env) => envString(env, variable, defaultValue, allowed));
}

/** The kinds of variable a schema declares; each takes the variable's name first, then its default. */
export const setting = {
  /** a whole number within the bounds (`{ min: 1 }`) */
  int: (variable: string, defaultValue: number, bounds: { min?: number; max?: number } = {}): Setting<number> =>
    declare(variable, (env) => envInt(env, variable, defaultValue, bounds)),
  /** a string, optionally one of a fixed set */
  string: stringSetting,
  /** `true` or `false` */
  flag: (variable: string, defaultValue: boolean): Setting<boolean> =>
    declare(variable, (env) => envString(env, variable, String(defaultValue), ['true', 'false']) === 'true'),
  /** a comma-separated list, entries trimmed, empty ones dropped */
  list: (variable: string, defaultValue: readonly string[]): Setting<string[]> => declare(variable, (env) => envList(env, variable, defaultValue)),
  /** a comma-separated list of whole numbers of at least `min` */
  intList: (variable: string, defaultValue: readonly number[], { min }: { min: number }): Setting<number[]> =>
    declare(variable, (env) =>
      envList(env, variable, defaultValue.map(String)).map((entry) => {
        const n = Number(entry);
        if (!/^-?\d+$/.test(entry) || !Number.isSafeInteger(n) || n < min) throw new ConfigError(variable, entry, `a comma-separated list of whole numbers of at least ${min}`);
        return n;
      }),
    ),
  /** a URL with one of the schemes (`['smtp', 'smtps']`, without the colon) */
  url: (variable: string, defaultValue: string, protocols: readonly string[]): Setting<string> =>
    declare(variable, (env) => envUrl(env, variable, defaultValue, protocols)),
  /** a variable read by a rule of its own (one that depends on another variable, or a secret) */
  custom: <T>(variable: string, read: (env: Env) => T): Setting<T> => declare(variable, read),
};

/** What a schema reads: `{ chargeAttempts: setting.int(...) }` gives `{ chargeAttempts: number }`. */
export type SettingsOf<S> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** A service's settings, declared once: the variables they read, how to read them, and their Nest token. */
export interface SettingsDefinition<T> {
  /** injection token of the settings object (`@Inject(PAYMENTS_SETTINGS)`) */
  readonly token: symbol;
  /** every variable the schema reads, in declaration order */
  readonly variables: readonly string[];
  /** reads every variable; the first bad value throws a ConfigError that names it */
  load(env?: Env): T;
}

/**
 * Declares a service's settings once, each with its variable, type, default and bounds, as
 * services/payments/src/payments-settings.ts does; the module provides them with
 * `{ provide: paymentsSettings.token, useFactory: () => paymentsSettings.load() }`. (Only the
 * schemas name variables: a spec finds what a service reads by its `setting.<kind>(` calls.)
 */
export function defineSettings<S extends Record<string, Setting<unknown>>>(name: string, schema: S): SettingsDefinition<SettingsOf<S>> {
  const entries = Object.entries(schema);
  return {
    token: Symbol(`${name} settings`),
    variables: entries.map(([, declared]) => declared.variable),
    load: (env = process.env) => Object.fromEntries(entries.map(([key, declared]) => [key, declared.read(env)])) as SettingsOf<S>,
  };
}
