import { cardBin, cardBrand, cardDisplay, cardLast4, describeCard, isLuhnValid } from './card';

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
});
