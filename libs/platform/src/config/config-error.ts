/**
 * A configuration value that cannot be used. The message names the variable and the bad value so
 * an operator can fix it without reading code; main.ts prints it and exits with status 1.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    reason: string,
  ) {
    super(`${variable}=${JSON.stringify(value)}: ${reason}`);
    this.name = 'ConfigError';
  }
}
