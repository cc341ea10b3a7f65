import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTransitionRows, transitionRows } from '@continuum/contracts';
import { ORDER_TRANSITIONS } from '../src/domain/order.transitions';

describe('the order transition table', () => {
  it('given the table in the code, when docs/orders.md is read, then it prints the same rows', () => {
    const page = readFileSync(join(__dirname, '../../../docs/orders.md'), 'utf8');
    expect(markdownTransitionRows(page)).toEqual(transitionRows(ORDER_TRANSITIONS));
  });
});
