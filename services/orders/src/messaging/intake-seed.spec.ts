import { intakeSeed } from './intake-seed';

describe('intakeSeed', () => {
  it('keeps pairs apart that a ":"-joined seed would merge', () => {
    expect(intakeSeed('a:b', 'c')).not.toBe(intakeSeed('a', 'b:c'));
    expect(intakeSeed('a', ':')).not.toBe(intakeSeed('a:', ''));
    expect(intakeSeed('a"', 'b')).not.toBe(intakeSeed('a', '"b'));
  });

  it('scopes a clientOrderId by its source, `intake` when the message names none', () => {
    expect(intakeSeed(undefined, 'c-1')).toBe(intakeSeed('intake', 'c-1'));
    expect(intakeSeed('lander', 'c-1')).not.toBe(intakeSeed('checkout', 'c-1'));
  });

  it('is the same seed for the same message, so a repeat lands on its order', () => {
    expect(intakeSeed('lander', 'c-1')).toBe('intake:["lander","c-1"]');
  });
});
