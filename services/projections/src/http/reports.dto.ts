import { SchemaField } from '@continuum/platform';

/** A calendar date (`2026-03-02`). */
const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
/** A calendar date or an RFC 3339 date-time with seconds and a time zone. */
const DATE_OR_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}(:?\\d{2})?))?$';

/** GET /reports/:name?asOf=&from=&to=&format= */
export class ReportQueryDto {
  @SchemaField(
    { type: 'string', pattern: DATE_OR_DATE_TIME, description: 'the report as of this moment, from the events up to it (a date is its last moment, UTC); default now' },
    { optional: true, example: '2026-03-02T10:00:00Z' },
  )
  asOf?: string;

  @SchemaField({ type: 'string', pattern: DATE, description: 'first day of the rows (UTC, inclusive); default: see docs/projections.md "Reports"' }, { optional: true, example: '2026-03-01' })
  from?: string;

  @SchemaField({ type: 'string', pattern: DATE, description: 'last day of the rows (UTC, inclusive)' }, { optional: true, example: '2026-03-31' })
  to?: string;

  @SchemaField({ type: 'string', enum: ['json', 'csv'], description: 'csv: the rows as CSV with a header line (as `Accept: text/csv`)' }, { optional: true, example: 'csv' })
  format?: 'json' | 'csv';
}
