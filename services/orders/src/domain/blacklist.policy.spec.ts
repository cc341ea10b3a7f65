import { DomainError } from '@continuum/contracts';
import { BlacklistEntry, matchBlacklist, normaliseBlacklistValue } from './blacklist.policy';

const address = { line1: '12 Elm St.', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const entry = (type: BlacklistEntry['type'], value: string, codOnly = false): BlacklistEntry => ({
  entryId: `${type}-${value}`,
  type,
  value: normaliseBlacklistValue(type, value),
  codOnly,
});

describe('normaliseBlacklistValue', () => {
  it.each([
    ['EMAIL', ' Ann@Example.COM ', 'ann@example.com'],
    ['PHONE', '+1 (512) 555-0100', '15125550100'],
    ['CARD_BIN', '4111 11', '411111'],
    ['CARD_BIN', '41111111', '41111111'],
    ['IP', ' 203.0.113.7 ', '203.0.113.7'],
    ['IP', '2001:DB8::1', '2001:db8::1'],
    ['ADDRESS', ' 12  Elm St. ', '12 elm st'],
    ['STATE_COUNTRY', 'tx/us', 'TX/US'],
    ['STATE_COUNTRY', 'us', 'US'],
  ] as const)('%s %p -> %p', (type, raw, normal) => {
    expect(normaliseBlacklistValue(type, raw)).toBe(normal);
  });

  it.each([
    ['EMAIL', 'not-an-email'],
    ['PHONE', '12-34'],
    ['CARD_BIN', '41111'],
    ['CARD_BIN', '411111111'],
    ['CARD_BIN', '4111ab'],
    ['IP', '300.1.1.1'],
    ['ADDRESS', ' ,. '],
    ['STATE_COUNTRY', 'Texas, United States'],
  ] as const)('refuses %s %p', (type, raw) => {
    expect(() => normaliseBlacklistValue(type, raw)).toThrow(DomainError);
  });
});

describe('matchBlacklist', () => {
  const card = { paymentType: 'CARD' as const };

  it('matches each type against the order facts', () => {
    expect(matchBlacklist({ ...card, email: 'ANN@example.com' }, [entry('EMAIL', 'ann@example.com')])).not.toBeNull();
    expect(matchBlacklist({ ...card, phone: '512.555.0100' }, [entry('PHONE', '(512) 555-0100')])).not.toBeNull();
    expect(matchBlacklist({ ...card, cardBin: '41111111' }, [entry('CARD_BIN', '411111')])).not.toBeNull();
    expect(matchBlacklist({ ...card, ipAddress: '203.0.113.7' }, [entry('IP', '203.0.113.7')])).not.toBeNull();
    expect(matchBlacklist({ ...card, addresses: [address] }, [entry('ADDRESS', '12 elm st')])).not.toBeNull();
    expect(matchBlacklist({ ...card, addresses: [address] }, [entry('ADDRESS', '12 Elm St, Austin, TX 78701, US')])).not.toBeNull();
    expect(matchBlacklist({ ...card, addresses: [address] }, [entry('STATE_COUNTRY', 'TX/US')])).not.toBeNull();
    expect(matchBlacklist({ ...card, addresses: [address] }, [entry('STATE_COUNTRY', 'US')])).not.toBeNull();
  });

  it('returns null when nothing matches', () => {
    const entries = [entry('EMAIL', 'bad@example.com'), entry('STATE_COUNTRY', 'CA/US'), entry('CARD_BIN', '400000')];
    expect(matchBlacklist({ ...card, email: 'ann@example.com', cardBin: '41111111', addresses: [address] }, entries)).toBeNull();
  });

  it('lets a COD-only entry block COD orders and nothing else', () => {
    const codOnly = [entry('EMAIL', 'ann@example.com', true)];
    expect(matchBlacklist({ paymentType: 'COD', email: 'ann@example.com' }, codOnly)?.entryId).toBe('EMAIL-ann@example.com');
    expect(matchBlacklist({ paymentType: 'CARD', email: 'ann@example.com' }, codOnly)).toBeNull();
    expect(matchBlacklist({ paymentType: 'EXTERNAL', email: 'ann@example.com' }, codOnly)).toBeNull();
  });

  it('lets a regular entry block every payment type', () => {
    const regular = [entry('EMAIL', 'ann@example.com')];
    for (const paymentType of ['CARD', 'EXTERNAL', 'COD'] as const) {
      expect(matchBlacklist({ paymentType, email: 'ann@example.com' }, regular)).not.toBeNull();
    }
  });
});
