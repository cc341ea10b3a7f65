import { cardBin, cardBrand, cardDisplay, cardExpired, cardLast4, cardProblems, describeCard, isLuhnValid } from './card';

describe('card', () => {
  it.each([
    ['4111111111111111', 'VISA'],
    ['5105105105105100', 'MASTERCARD'],
    ['5555555555554444', 'MASTERCARD'],
    ['2221000000000009', 'MASTERCARD'],
    ['2720990000000007', 'MASTERCARD'],
    ['2721000000000000', 'UNKNOWN'],
    ['5600000000000000', 'UNKNOWN'],
    ['378282246310005', 'AMEX'],
    ['341111111111111', 'AMEX'],
    ['6011111111111117', 'DISCOVER'],
    ['6511111111111117', 'DISCOVER'],
    ['3530111333300000', 'UNKNOWN'],
  ])('brand of %s is %s', (number, brand) => {
    expect(cardBrand(number)).toBe(brand);
  });

  it('takes last four and BIN, ignoring spaces and dashes', () => {
    expect(cardLast4('4111 1111 1111 1234')).toBe('1234');
    expect(cardBin('4000-0000-0000-0077')).toBe('400000');
    expect(describeCard('5555555555554444')).toEqual({ brand: 'MASTERCARD', last4: '4444', bin: '555555' });
  });

  it('shows brand and last four', () => {
    expect(cardDisplay('VISA', '1111')).toBe('VISA 1111');
    expect(cardDisplay('UNKNOWN', '0000')).toBe('CARD 0000');
  });

  it('checks the Luhn sum', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4000000000000002')).toBe(true);
    expect(isLuhnValid('378282246310005')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('4111')).toBe(false);
    expect(isLuhnValid('4111x11111111111')).toBe(false);
  });

  it('keeps a card good through the last day of its expiry month', () => {
    expect(cardExpired(4, 2026, '2026-04-30T23:59:59Z')).toBe(false);
    expect(cardExpired(4, 2026, '2026-05-01')).toBe(true);
    expect(cardExpired(12, 2025, '2026-01-15')).toBe(true);
    expect(cardExpired(1, 2027, '2026-12-31')).toBe(false);
  });

  describe('cardProblems', () => {
    const today = '2026-03-15T10:00:00Z';
    const good = { number: '4111111111111111', expMonth: 3, expYear: 2026 };

    it('accepts a Luhn-valid number of 12 to 19 digits that has not expired', () => {
      expect(cardProblems(good, today)).toEqual([]);
      expect(cardProblems({ ...good, number: '378282246310005' }, today)).toEqual([]);
    });

    it('names the field of each problem and never repeats the number', () => {
      const mistyped = cardProblems({ ...good, number: '4111111111111112' }, today);
      expect(mistyped).toEqual([{ field: 'number', message: expect.stringContaining('Luhn') }]);
      expect(JSON.stringify(mistyped)).not.toContain('4111111111111112');
      expect(cardProblems({ ...good, number: '41111111111' }, today)).toEqual([{ field: 'number', message: 'number must be 12 to 19 digits' }]);
      expect(cardProblems({ ...good, number: '4111 1111 1111 1111' }, today)[0]?.field).toBe('number');
      expect(cardProblems({ ...good, expMonth: 13 }, today)).toEqual([{ field: 'expMonth', message: 'expMonth must be 1 to 12' }]);
      expect(cardProblems({ ...good, expMonth: 2 }, today)).toEqual([{ field: 'expYear', message: 'the card has expired' }]);
    });
  });
});
