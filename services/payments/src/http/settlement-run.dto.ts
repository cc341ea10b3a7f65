import { SchemaField } from '@continuum/platform';

/** Body of POST /settlement-runs. */
export class SettlementRunDto {
  @SchemaField(
    { type: 'string', format: 'date-time', description: 'settle every unsettled charge taken at or before this time (default: now)' },
    { optional: true, example: '2026-03-02T00:00:00Z' },
  )
  asOf?: string;
}
