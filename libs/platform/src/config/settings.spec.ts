import { ConfigError } from './config-error';
import { defineSettings, setting } from './settings';

const example = defineSettings('example', {
  attempts: setting.int('ATTEMPTS', 5, { min: 1 }),
  mode: setting.string('MODE', 'fast', ['fast', 'safe']),
  enabled: setting.flag('ENABLED', false),
  emails: setting.list('EMAILS', ['ops@localhost']),
  delaysMs: setting.intList('DELAYS_MS', [1000, 2000], { min: 0 }),
  mailUrl: setting.url('MAIL_URL', 'smtp://127.0.0.1:1025', ['smtp']),
  zone: setting.string('ZONE', 'UTC').where((zone) => (zone.includes('/') || zone === 'UTC' ? undefined : 'a time zone such as Europe/Paris')),
});

describe('defineSettings', () => {
  it('lists its variables once each, in declaration order', () => {
    expect(example.variables).toEqual(['ATTEMPTS', 'MODE', 'ENABLED', 'EMAILS', 'DELAYS_MS', 'MAIL_URL', 'ZONE']);
  });

  it('reads the defaults when nothing is set', () => {
    expect(example.load({})).toEqual({ attempts: 5, mode: 'fast', enabled: false, emails: ['ops@localhost'], delaysMs: [1000, 2000], mailUrl: 'smtp://127.0.0.1:1025', zone: 'UTC' });
  });

  it('reads every kind of variable', () => {
    expect(
      example.load({ ATTEMPTS: '2', MODE: 'safe', ENABLED: 'true', EMAILS: 'a@x.test, b@x.test', DELAYS_MS: '0, 30', MAIL_URL: 'smtp://mail:25', ZONE: 'Europe/Paris' }),
    ).toEqual({ attempts: 2, mode: 'safe', enabled: true, emails: ['a@x.test', 'b@x.test'], delaysMs: [0, 30], mailUrl: 'smtp://mail:25', zone: 'Europe/Paris' });
  });

  it.each([
    ['ATTEMPTS', '0', 'ATTEMPTS="0": must be at least 1'],
    ['MODE', 'slow', 'MODE="slow": expected one of fast, safe'],
    ['ENABLED', 'yes', 'ENABLED="yes": expected one of true, false'],
    ['DELAYS_MS', '10,soon', 'DELAYS_MS="soon": a comma-separated list of whole numbers of at least 0'],
    ['DELAYS_MS', '-1', 'DELAYS_MS="-1": a comma-separated list of whole numbers of at least 0'],
    ['MAIL_URL', 'http://mail', 'MAIL_URL="http://mail": expected a smtp URL'],
    ['ZONE', ' Mars ', 'ZONE="Mars": a time zone such as Europe/Paris'],
  ])('refuses %s=%s with an error naming the variable', (variable, value, message) => {
    let error: unknown;
    try {
      example.load({ [variable]: value });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toBe(message);
  });

  it('gives each definition a token of its own', () => {
    expect(defineSettings('a', {}).token).not.toBe(defineSettings('a', {}).token);
  });
});
