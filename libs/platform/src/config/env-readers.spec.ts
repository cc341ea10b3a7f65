import { ConfigError } from './config-error';
import { envInt, envList, envString, envUrl } from './env-readers';

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('envInt', () => {
  it('uses the default when unset or blank', () => {
    expect(envInt({}, 'DELAY_MS', 500)).toBe(500);
    expect(envInt({ DELAY_MS: '  ' }, 'DELAY_MS', 500)).toBe(500);
  });

  it('reads a whole number, negative numbers included', () => {
    expect(envInt({ DELAY_MS: '86400000' }, 'DELAY_MS', 0)).toBe(86_400_000);
    expect(envInt({ OFFSET: '-5' }, 'OFFSET', 0)).toBe(-5);
  });

  it.each(['12ms', '3.5', '1e3', 'abc', '0x10'])('rejects %s naming the variable and the value', (value) => {
    const error = thrown(() => envInt({ DELAY_MS: value }, 'DELAY_MS', 0));
    expect(error.message).toContain('DELAY_MS');
    expect(error.message).toContain(value);
    expect(error.variable).toBe('DELAY_MS');
  });

  it('enforces min and max', () => {
    expect(thrown(() => envInt({ N: '0' }, 'N', 3, { min: 1 })).message).toContain('at least 1');
    expect(thrown(() => envInt({ N: '70000' }, 'N', 3, { max: 65535 })).message).toContain('at most 65535');
    expect(envInt({ N: '1' }, 'N', 3, { min: 1 })).toBe(1);
  });

  it('rejects numbers beyond the safe integer range', () => {
    expect(thrown(() => envInt({ N: '99999999999999999999' }, 'N', 3)).message).toContain('too large');
  });
});

describe('envString', () => {
  it('returns the trimmed value or the default', () => {
    expect(envString({ NAME: ' orders ' }, 'NAME', 'x')).toBe('orders');
    expect(envString({}, 'NAME', 'x')).toBe('x');
  });

  it('rejects a value outside the allowed set', () => {
    const error = thrown(() => envString({ LEVEL: 'loud' }, 'LEVEL', 'info', ['info', 'debug']));
    expect(error.message).toContain('LEVEL="loud"');
    expect(error.message).toContain('info, debug');
  });
});

describe('envList', () => {
  it('splits on commas, trims and drops empty entries', () => {
    expect(envList({ NOTIFY_EMAILS: 'a@x.test, b@x.test,,' }, 'NOTIFY_EMAILS', [])).toEqual(['a@x.test', 'b@x.test']);
  });

  it('returns a copy of the default when unset', () => {
    const fallback = ['ops@localhost'];
    const value = envList({}, 'NOTIFY_EMAILS', fallback);
    expect(value).toEqual(['ops@localhost']);
    expect(value).not.toBe(fallback);
  });
});

describe('envUrl', () => {
  it('accepts a URL with an allowed scheme', () => {
    expect(envUrl({ SMTP_URL: 'smtp://mail:25' }, 'SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp'])).toBe('smtp://mail:25');
    expect(envUrl({}, 'SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp'])).toBe('smtp://127.0.0.1:1025');
  });

  it('rejects something that is not a URL', () => {
    expect(thrown(() => envUrl({ SMTP_URL: 'mail server' }, 'SMTP_URL', 'smtp://x', ['smtp'])).message).toBe(
      'SMTP_URL="mail server": not a valid URL',
    );
  });

  it('rejects another scheme', () => {
    expect(thrown(() => envUrl({ REDIS_URL: 'http://redis:6379' }, 'REDIS_URL', 'redis://x', ['redis', 'rediss'])).message).toContain(
      'expected a redis or rediss URL',
    );
  });
});
