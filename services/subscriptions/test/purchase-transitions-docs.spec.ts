import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTransitionRows, transitionRows } from '@continuum/contracts';
import { PURCHASE_TRANSITIONS, purchaseTransitionsMarkdown } from '../src/domain/purchase.transitions';

describe('the purchase transition table', () => {
  it('given the table in the code, when docs/subscriptions.md is read, then it prints the same rows, refusals included', () => {
    const page = readFileSync(join(__dirname, '../../../docs/subscriptions.md'), 'utf8');
    expect(markdownTransitionRows(page)).toEqual(transitionRows(PURCHASE_TRANSITIONS));
    const printed = page.split('\n').filter((line) => /^\| `[A-Za-z]+` \|/.test(line));
    expect(printed).toEqual(purchaseTransitionsMarkdown());
  });
});
