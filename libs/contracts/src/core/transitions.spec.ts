import { refusal } from '@continuum/testing';
import { allowedFrom, markdownTransitionRows, refusedIn, TransitionTable, transitionRows } from './transitions';

type Status = 'OPEN' | 'SHIPPED' | 'CLOSED';
type CommandType = 'Ship' | 'Close' | 'Reopen';

const TABLE: TransitionTable<Status, CommandType> = {
  Ship: { from: ['OPEN'], to: 'SHIPPED', code: 'NOT_OPEN', message: 'Only an open parcel can ship' },
  Close: { from: ['OPEN', 'SHIPPED'], to: 'CLOSED', code: 'ALREADY_CLOSED', message: 'The parcel is already closed' },
  Reopen: {
    from: ['CLOSED'],
    to: 'OPEN',
    code: 'NOT_CLOSED',
    message: 'Only a closed parcel can be reopened',
    refusals: { SHIPPED: { code: 'ON_ITS_WAY', message: 'A shipped parcel cannot be reopened' } },
    field: 'reason',
  },
};

describe('allowedFrom (the one status guard)', () => {
  it('given a status the table lists for the command, when guarded, then it lets the command through', () => {
    expect(() => allowedFrom(TABLE, 'Ship', 'OPEN')).not.toThrow();
    expect(() => allowedFrom(TABLE, 'Close', 'OPEN')).not.toThrow();
    expect(() => allowedFrom(TABLE, 'Close', 'SHIPPED')).not.toThrow();
  });

  it('given a status the table does not list, when guarded, then it throws the command\'s code as a rule', () => {
    const error = refusal(() => allowedFrom(TABLE, 'Ship', 'SHIPPED'));
    expect([error.code, error.kind]).toEqual(['NOT_OPEN', 'rule']);
  });

  it('uses the refused command\'s own row, not another command\'s', () => {
    expect(refusal(() => allowedFrom(TABLE, 'Close', 'CLOSED')).code).toBe('ALREADY_CLOSED');
    expect(refusal(() => allowedFrom(TABLE, 'Ship', 'CLOSED')).code).toBe('NOT_OPEN');
  });

  it('given a status with a refusal of its own, when guarded, then that refusal is thrown; other statuses get the row\'s', () => {
    const shipped = refusal(() => allowedFrom(TABLE, 'Reopen', 'SHIPPED'));
    expect([shipped.code, shipped.message, shipped.kind]).toEqual(['ON_ITS_WAY', 'A shipped parcel cannot be reopened (status SHIPPED)', 'rule']);
    expect(refusal(() => allowedFrom(TABLE, 'Reopen', 'OPEN')).code).toBe('NOT_CLOSED');
    expect(() => allowedFrom(TABLE, 'Reopen', 'CLOSED')).not.toThrow();
  });

  it('given a row that names a request field, when refused (its own refusal or a status\'s), then the details name that field beside the status', () => {
    expect(refusal(() => allowedFrom(TABLE, 'Reopen', 'OPEN')).details).toEqual({ status: 'OPEN', field: 'reason' });
    expect(refusal(() => allowedFrom(TABLE, 'Reopen', 'SHIPPED')).details).toEqual({ status: 'SHIPPED', field: 'reason' });
  });

  it('says the table\'s message and names the status it was in', () => {
    const error = refusal(() => allowedFrom(TABLE, 'Ship', 'CLOSED'));
    expect(error.message).toBe('Only an open parcel can ship (status CLOSED)');
    expect(error.details).toEqual({ status: 'CLOSED' });
  });
});

describe('transition table in the docs', () => {
  const page = [
    '# Parcels',
    '',
    '| Command | Allowed from | To |',
    '| --- | --- | --- |',
    '| `Ship` | `OPEN` | `SHIPPED` |',
    '| Close | OPEN, SHIPPED | CLOSED |',
    '| Reopen | CLOSED | OPEN |',
    '',
    'More text | with a pipe.',
  ].join('\n');

  it('given a table, when printed as rows, then each command has its from list and its to', () => {
    expect(transitionRows(TABLE)).toEqual([
      { command: 'Ship', from: 'OPEN', to: 'SHIPPED' },
      { command: 'Close', from: 'OPEN, SHIPPED', to: 'CLOSED' },
      { command: 'Reopen', from: 'CLOSED', to: 'OPEN' },
    ]);
  });

  it('given a docs page, when its table is read back, then it equals the code table rows (backticks ignored)', () => {
    expect(markdownTransitionRows(page)).toEqual(transitionRows(TABLE));
  });

  it('given a docs page whose table drifted, when compared, then the rows differ', () => {
    expect(markdownTransitionRows(page.replace('| Close | OPEN, SHIPPED |', '| Close | OPEN |'))).not.toEqual(transitionRows(TABLE));
  });

  it('given statuses that refuse alike, when a row lists them with refusedIn, then each of them refuses with that code and no other does', () => {
    const table: TransitionTable<Status, 'Ship'> = { Ship: { from: ['OPEN'], code: 'NOT_OPEN', message: 'not open', refusals: refusedIn(['SHIPPED', 'CLOSED'], { code: 'GONE', message: 'it left' }) } };
    expect(refusal(() => allowedFrom(table, 'Ship', 'SHIPPED')).code).toBe('GONE');
    expect(refusal(() => allowedFrom(table, 'Ship', 'CLOSED')).code).toBe('GONE');
    expect(refusedIn(['SHIPPED'], 'x')).toEqual({ SHIPPED: 'x' });
  });

  it('given a page with no transition table, when read, then there are no rows', () => {
    expect(markdownTransitionRows('# Nothing here\n\n| A | B |\n| - | - |\n| 1 | 2 |')).toEqual([]);
  });
});
