import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FULFILLMENT_STATUSES, markdownTransitionRows } from '@continuum/contracts';
import { FULFILLMENT_TRANSITIONS, FulfillmentAction, REFUSED_IN_STATUS, ownRefusals } from '../src/domain/fulfillment.transitions';

const DOCS = readFileSync(join(__dirname, '../../../docs/fulfillment.md'), 'utf8');
const commands = Object.keys(FULFILLMENT_TRANSITIONS) as FulfillmentAction[];

/** The cells of the markdown table whose header's first cell is `first`, backticks stripped. */
function tableRows(markdown: string, first: string): string[][] {
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.replace(/`/g, '').trim());
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => line.trim().startsWith('|') && cells(line)[0] === first);
  if (header < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.trim().startsWith('|')) break;
    rows.push(cells(line));
  }
  return rows;
}

/** A command's own refusals as the docs print them: "CODE from S1, S2; CODE2 from S3". */
function ownRefusalsCell(command: FulfillmentAction): string {
  const byCode = new Map<string, string[]>();
  for (const [status, refusal] of Object.entries(ownRefusals(command))) byCode.set(refusal!.code, [...(byCode.get(refusal!.code) ?? []), status]);
  return [...byCode].map(([code, statuses]) => `${code} from ${statuses.join(', ')}`).join('; ');
}

describe('the fulfillment transition table in docs/fulfillment.md', () => {
  it('docs/fulfillment.md prints the same table as the code: command, allowed from, to', () => {
    const expected = commands.map((command) => ({ command, from: FULFILLMENT_TRANSITIONS[command].from.join(', '), to: FULFILLMENT_TRANSITIONS[command].to ?? '' }));
    expect(markdownTransitionRows(DOCS)).toEqual(expected);
  });

  it("docs/fulfillment.md prints each command's own refusals as the code has them", () => {
    expect(tableRows(DOCS, 'Command').map(([command, , , refused]) => [command, refused])).toEqual(commands.map((command) => [command, ownRefusalsCell(command)]));
  });

  it('docs/fulfillment.md prints the refusal of every status as the code has it', () => {
    expect(tableRows(DOCS, 'Status').map(([status, code]) => [status, code])).toEqual(FULFILLMENT_STATUSES.map((status) => [status, REFUSED_IN_STATUS[status].code]));
  });
});
