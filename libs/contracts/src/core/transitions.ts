import { DomainError } from './decider';

/** The error a command gets from a status it is not allowed from. */
export interface TransitionRefusal {
  readonly code: string;
  readonly message: string;
}

/**
 * A lifecycle's transition table, keyed by command type: the statuses each command is allowed from,
 * and the error (code and message) a command gets when the aggregate is in any other status.
 * `to` (optional) is the status the command leads to, printed in the service's docs beside `from`.
 * `refusals` (optional) names a status whose refusal has a code of its own (cancelling a declined
 * order is not "already cancelled"). `then` (optional) says what the command does, in words, where
 * a docs page prints it. `field` (optional) is the request field a refusal names (`details.field`),
 * where one field of the request asked for what the status refuses.
 */
export type TransitionTable<S extends string, C extends string> = Readonly<
  Record<
    C,
    TransitionRefusal & {
      readonly from: readonly S[];
      readonly to?: S;
      readonly refusals?: Readonly<Partial<Record<S, TransitionRefusal>>>;
      readonly then?: string;
      readonly field?: string;
    }
  >
>;

/** The same refusal for each of `statuses`: a row's `refusals` where several statuses say the same. */
export function refusedIn<S extends string, R>(statuses: readonly S[], refusal: R): Partial<Record<S, R>> {
  return Object.fromEntries(statuses.map((status) => [status, refusal])) as Partial<Record<S, R>>;
}

/**
 * The one status guard of every decider: returns when `status` is one the table allows `command`
 * from, otherwise throws the table's rule error for that command, with the status (and the row's
 * `field`, when it names one) in its details.
 */
export function allowedFrom<S extends string, C extends string>(table: TransitionTable<S, C>, command: C, status: S): void {
  const row = table[command];
  if (row.from.includes(status)) return;
  const refusal = row.refusals?.[status] ?? row;
  throw new DomainError(refusal.code, `${refusal.message} (status ${status})`, 'rule', row.field === undefined ? { status } : { status, field: row.field });
}

/** One row of a transition table as a docs page prints it: command, allowed from (comma-separated), to. */
export interface TransitionRow {
  readonly command: string;
  readonly from: string;
  readonly to: string;
}

/** The rows a docs page should print for `table`, in the table's order (`to` is '' when the row has none). */
export function transitionRows<S extends string, C extends string>(table: TransitionTable<S, C>): TransitionRow[] {
  return (Object.keys(table) as C[]).map((command) => ({
    command,
    from: table[command].from.join(', '),
    to: table[command].to ?? '',
  }));
}

/**
 * Reads back the rows of the markdown table in `markdown` whose header starts with `| Command | Allowed from | To |`
 * (backticks stripped), so a spec can check that the docs page prints the same table as the code.
 */
export function markdownTransitionRows(markdown: string): TransitionRow[] {
  const lines = markdown.split('\n').map((line) => line.trim());
  const cells = (line: string): string[] =>
    line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.replace(/`/g, '').trim());
  const header = lines.findIndex((line) => line.startsWith('|') && cells(line).slice(0, 3).join('|').toLowerCase() === 'command|allowed from|to');
  if (header < 0) return [];
  const rows: TransitionRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [command, from, to] = cells(line);
    rows.push({ command, from, to: to ?? '' });
  }
  return rows;
}
