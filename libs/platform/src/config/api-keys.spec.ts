import { DEV_API_KEYS, parseApiKeys } from './api-keys';
import { ConfigError } from './config-error';

describe('parseApiKeys', () => {
  it('parses user:role:key entries', () => {
    expect(parseApiKeys('alice:agent:k1, ops:admin:k2,lander:service:k3,shipco:fulfillment-house:k4')).toEqual([
      { user: 'alice', role: 'agent', key: 'k1' },
      { user: 'ops', role: 'admin', key: 'k2' },
      { user: 'lander', role: 'service', key: 'k3' },
      { user: 'shipco', role: 'fulfillment-house', key: 'k4' },
    ]);
  });

  it('keeps colons inside the key and skips empty entries', () => {
    expect(parseApiKeys('alice:agent:a:b:c,,')).toEqual([{ user: 'alice', role: 'agent', key: 'a:b:c' }]);
  });

  it.each(['alice:agent', 'alice', ':agent:k', 'alice::k', 'alice:agent:'])('rejects the malformed entry %s', (entry) => {
    expect(() => parseApiKeys(entry)).toThrow(ConfigError);
    expect(() => parseApiKeys(entry)).toThrow(/API_KEYS.*user:role:key/);
  });

  it('rejects an unknown role', () => {
    expect(() => parseApiKeys('alice:root:secret-key')).toThrow(/unknown role "root"/);
  });

  it('rejects the same key given twice', () => {
    expect(() => parseApiKeys('alice:agent:same-key,bob:admin:same-key')).toThrow(/given twice/);
  });

  it('does not print the secret in the error', () => {
    expect(() => parseApiKeys('alice:root:supersecret')).toThrow(/supe\*\*\*/);
    expect(() => parseApiKeys('alice:root:supersecret')).not.toThrow(/supersecret/);
  });
});

describe('DEV_API_KEYS', () => {
  it('are the four documented development keys, user = key, role = the part after dev-', () => {
    expect(DEV_API_KEYS).toEqual([
      { user: 'dev-agent', role: 'agent', key: 'dev-agent' },
      { user: 'dev-admin', role: 'admin', key: 'dev-admin' },
      { user: 'dev-service', role: 'service', key: 'dev-service' },
      { user: 'dev-fulfillment-house', role: 'fulfillment-house', key: 'dev-fulfillment-house' },
    ]);
  });
});
