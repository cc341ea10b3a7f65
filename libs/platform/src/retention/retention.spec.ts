import { ConfigError } from '../config';
import { readRetentionSettings } from './retention';

describe('readRetentionSettings', () => {
  it('keeps records 7 days and cleans up hourly by default', () => {
    expect(readRetentionSettings({})).toEqual({ retentionDays: 7, cleanupIntervalMs: 3_600_000 });
  });

  it('reads RETENTION_DAYS and RETENTION_CLEANUP_INTERVAL_MS', () => {
    expect(readRetentionSettings({ RETENTION_DAYS: '30', RETENTION_CLEANUP_INTERVAL_MS: '600000' })).toEqual({ retentionDays: 30, cleanupIntervalMs: 600_000 });
  });

  it('RETENTION_MS replaces RETENTION_DAYS with a retention in milliseconds (a fraction of a day)', () => {
    const settings = readRetentionSettings({ RETENTION_DAYS: '30', RETENTION_MS: '60000', RETENTION_CLEANUP_INTERVAL_MS: '15000' });
    expect(settings.cleanupIntervalMs).toBe(15_000);
    expect(settings.retentionDays * 86_400_000).toBeCloseTo(60_000, 6);
  });

  it.each([['RETENTION_DAYS', '0'], ['RETENTION_DAYS', '7d'], ['RETENTION_CLEANUP_INTERVAL_MS', '10'], ['RETENTION_MS', '999'], ['RETENTION_MS', '1m']])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => readRetentionSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => readRetentionSettings({ [name]: value })).toThrow(name);
  });
});
