import { ConfigError } from '@continuum/platform';
import { parseOptions, UsageError } from './reconcile.cli';

describe('npm run reconcile: options', () => {
  it('reads the default database of each service on the default MongoDB, history included', () => {
    expect(parseOptions([], {})).toEqual({
      json: false,
      mongoUrl: 'mongodb://127.0.0.1:27017',
      target: {
        databases: { orders: 'continuum_orders', payments: 'continuum_payments', fulfillment: 'continuum_fulfillment', subscriptions: 'continuum_subscriptions' },
        projections: 'continuum_projections',
      },
    });
  });

  it('takes MONGO_URL and MONGO_DB_<SERVICE> from the environment, flags over both', () => {
    const options = parseOptions(['--json', '--db', 'payments=pay_flag'], { MONGO_URL: 'mongodb://db.internal:27017', MONGO_DB_ORDERS: 'ord_env', MONGO_DB_PAYMENTS: 'pay_env', MONGO_DB_PROJECTIONS: 'proj_env' });
    expect(options.json).toBe(true);
    expect(options.mongoUrl).toBe('mongodb://db.internal:27017');
    expect(options.target.databases).toMatchObject({ orders: 'ord_env', payments: 'pay_flag', fulfillment: 'continuum_fulfillment' });
    expect(options.target.projections).toBe('proj_env');
  });

  it('names every database from a prefix, and skips the history when asked', () => {
    const options = parseOptions(['--db-prefix', 'it_x_', '--no-history'], {});
    expect(options.target).toEqual({
      databases: { orders: 'it_x_orders', payments: 'it_x_payments', fulfillment: 'it_x_fulfillment', subscriptions: 'it_x_subscriptions' },
      projections: null,
    });
  });

  it.each([[['--jsn']], [['--db', 'billing=x']], [['--db', 'orders']], [['--db-prefix']]])('refuses %j with the usage', (argv) => {
    expect(() => parseOptions(argv, {})).toThrow(UsageError);
    expect(() => parseOptions(argv, {})).toThrow(/usage: npm run reconcile/);
  });

  it('refuses a MONGO_URL that is not a MongoDB URL, naming it', () => {
    expect(() => parseOptions([], { MONGO_URL: 'http://db:27017' })).toThrow(ConfigError);
    expect(() => parseOptions([], { MONGO_URL: 'http://db:27017' })).toThrow(/MONGO_URL/);
  });
});
