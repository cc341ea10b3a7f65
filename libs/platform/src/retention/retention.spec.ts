import { ConfigError } from '../config';
import { readRetentionSettings } from './retention';

describe('readRetentionSettings', () => {
  it('keeps records 7 days and cleans up hourly by default', () => {
    expect(readRetentionSettings({})).toEqual({ retentionDays: 7, cleanupIntervalMs: 3_600_000 });
  });

  it('reads RETENTION_DAYS and RETENTION_CLEANUP_INTERVAL_MS', () => {
    expect(readRetentionSettings({ RETENTION_DAYS: '30', RETENTION_CLEANUP_INTERVAL_MS: '600000' })).toEqual({ retentionDays: 30, cleanupIntervalMs: 600_000 });
  });

  it.each([['RETENTION_DAYS', '0'], ['RETENTION_DAYS', '7d'], ['RETENTION_CLEANUP_INTERVAL_MS', '10']])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => readRetentionSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => readRetentionSettings({ [name]: value })).toThrow(name);
  });
});
