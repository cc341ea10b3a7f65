import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTransitionRows, transitionRows } from '@continuum/contracts';
import { REFUND_TRANSITIONS, TRANSACTION_TRANSITIONS } from '../src/domain';

/** The markdown of docs/payments.md from `heading` to the next heading of its level or above. */
function section(heading: string): string {
  const page = readFileSync(join(__dirname, '../../../docs/payments.md'), 'utf8');
  const start = page.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/payments.md has no "${heading}"`);
  const rest = page.slice(start + heading.length + 2);
  const next = rest.search(/\n#{2,3} /);
  return next < 0 ? rest : rest.slice(0, next);
}

describe('docs/payments.md prints the lifecycle tables of the code', () => {
  it('given docs/payments.md, when its transaction lifecycle table is read, then it is the code table row for row', () => {
    expect(markdownTransitionRows(section('### Transaction lifecycle'))).toEqual(transitionRows(TRANSACTION_TRANSITIONS));
  });

  it('given docs/payments.md, when its refund lifecycle table is read, then it is the code table row for row', () => {
    expect(markdownTransitionRows(section('### Refund lifecycle'))).toEqual(transitionRows(REFUND_TRANSITIONS));
  });
});
